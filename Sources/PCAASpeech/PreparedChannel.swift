import Foundation

/// One mono 16-bit PCM WAV file written by ``AudioPreparer/prepare(input:outputDirectory:targetRate:splitChannels:)``.
public struct PreparedChannel: Sendable, Equatable, Hashable {
    /// Source channel (0 = left, 1 = right) for split stereo; 0 for a mono input or a down-mix.
    public var channel: Int
    /// Path of the prepared WAV file.
    public var path: String
    /// Duration of the prepared file, seconds.
    public var durationSeconds: Double
    /// Sample rate of the prepared file, Hz.
    public var sampleRate: Int

    public init(channel: Int, path: String, durationSeconds: Double, sampleRate: Int) {
        self.channel = channel
        self.path = path
        self.durationSeconds = durationSeconds
        self.sampleRate = sampleRate
    }
}
