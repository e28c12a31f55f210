import Foundation

/// Turns a call recording into what speech engines want: 16 kHz (or `targetRate`) mono 16-bit PCM WAV files.
public enum AudioPreparer {
    /// Frames read from the input per step.
    public static let chunkFrames = PCMReader.defaultChunkFrames

    /// Converts `input` to mono 16-bit PCM WAV at `targetRate` in `outputDirectory` (created if missing).
    ///
    /// With `splitChannels` and a stereo input, one file per channel is written (`<name>.ch0.wav` for the left
    /// channel, `<name>.ch1.wav` for the right), e.g. agent and customer; otherwise the channels are averaged into
    /// one file (`<name>.mono.wav`). The input is streamed chunk by chunk through a ``Resampler`` and written with
    /// ``PCM16WAVWriter`` (header sizes patched at the end, samples clipped to the Int16 range), so memory use does
    /// not grow with the recording length. Existing output files are replaced.
    ///
    /// Throws ``AudioFormatError`` when the input is not a supported WAV file (PCM 8/16-bit, mono/stereo,
    /// 8–48 kHz) or `targetRate` is outside 8 000...48 000 Hz, and file-system errors as they come.
    public static func prepare(
        input: String, outputDirectory: String, targetRate: Int = 16_000, splitChannels: Bool
    ) throws -> [PreparedChannel] {
        guard WAVInfo.supportedSampleRates.contains(targetRate) else {
            throw AudioFormatError.unsupported("target sample rate \(targetRate) Hz (supported: 8000–48000 Hz)")
        }
        var reader = try PCMReader(path: input)
        defer { reader.close() }
        let info = reader.info
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)

        let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let split = splitChannels && info.channels > 1
        let outputs = split ? info.channels : 1
        let paths = (0..<outputs).map { channel in
            outputDirectory + "/" + stem + (split ? ".ch\(channel).wav" : ".mono.wav")
        }

        var writers = try paths.map { try PCM16WAVWriter(path: $0, sampleRate: targetRate, channels: 1) }
        var resamplers = paths.map { _ in Resampler(inputRate: info.sampleRate, outputRate: targetRate) }
        do {
            while let chunk = try reader.next(maxFrames: chunkFrames) {
                let streams = split ? chunk : [PCMReader.downmix(chunk)]
                for index in 0..<outputs {
                    try writers[index].write(resamplers[index].process(streams[index]))
                }
            }
            var prepared: [PreparedChannel] = []
            for index in 0..<outputs {
                try writers[index].write(resamplers[index].flush())
                let duration = try writers[index].finish()
                prepared.append(PreparedChannel(channel: index, path: paths[index], durationSeconds: duration, sampleRate: targetRate))
            }
            return prepared
        } catch {
            writers.forEach { $0.cancel() }
            writers = []
            throw error
        }
    }
}
