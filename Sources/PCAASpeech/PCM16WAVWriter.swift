import Foundation

/// Writes a 16-bit PCM WAV file chunk by chunk.
///
/// Samples go to `<path>.part` behind a placeholder header; ``finish()`` patches the RIFF and data sizes and
/// renames the file to `path`, so a reader never sees a half-written file under the final name. Memory use does
/// not depend on the length of the recording.
public final class PCM16WAVWriter {
    public let path: String
    public let sampleRate: Int
    public let channels: Int
    /// Frames written so far.
    public private(set) var framesWritten: Int64 = 0
    /// Samples (any channel) that were outside [-1, 1] and were clipped to the Int16 range.
    public private(set) var clippedSamples: Int64 = 0

    private let partialPath: String
    private var handle: FileHandle?

    /// Largest data chunk a RIFF size field can describe.
    private static let maxDataBytes: Int64 = 0xFFFF_FFFF - 36

    /// Creates (or truncates) `<path>.part` and writes a header with zero sizes.
    public init(path: String, sampleRate: Int, channels: Int) throws {
        precondition(sampleRate > 0 && channels > 0, "sample rate and channel count must be positive")
        self.path = path
        self.sampleRate = sampleRate
        self.channels = channels
        self.partialPath = path + ".part"
        let manager = FileManager.default
        try? manager.removeItem(atPath: partialPath)
        guard manager.createFile(atPath: partialPath, contents: Data(WAVInfo.pcm16Header(sampleRate: sampleRate, channels: channels, dataBytes: 0))) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: partialPath])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partialPath))
        try handle.seekToEnd()
        self.handle = handle
    }

    deinit {
        if let handle {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partialPath)
        }
    }

    /// Appends frames given one `[Float]` per channel (equal lengths), values in [-1, 1] scaled by 32 768,
    /// rounded and clipped to the Int16 range.
    public func write(channels samples: [[Float]]) throws {
        precondition(samples.count == channels, "expected \(channels) channel array(s), got \(samples.count)")
        let frames = samples.first?.count ?? 0
        precondition(samples.allSatisfy { $0.count == frames }, "channel arrays differ in length")
        guard frames > 0 else { return }
        guard let handle else { preconditionFailure("write after finish()") }
        let stride = channels * 2
        guard (framesWritten + Int64(frames)) * Int64(stride) <= Self.maxDataBytes else {
            throw AudioFormatError.unsupported("output would exceed the 4 GiB limit of a WAV file")
        }
        var clipped = 0
        var bytes = [UInt8](repeating: 0, count: frames * stride)
        bytes.withUnsafeMutableBufferPointer { out in
            for (channel, values) in samples.enumerated() {
                values.withUnsafeBufferPointer { input in
                    var frame = 0
                    var index = channel * 2
                    while frame < frames {
                        var scaled = (input[frame] * 32_768).rounded()
                        if scaled > 32_767 {
                            scaled = 32_767
                            clipped += 1
                        } else if scaled < -32_768 {
                            scaled = -32_768
                            clipped += 1
                        } else if scaled.isNaN {
                            scaled = 0
                        }
                        let bits = UInt16(bitPattern: Int16(scaled))
                        out[index] = UInt8(truncatingIfNeeded: bits)
                        out[index + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                        index += stride
                        frame += 1
                    }
                }
            }
        }
        try handle.write(contentsOf: bytes)
        framesWritten += Int64(frames)
        clippedSamples += Int64(clipped)
    }

    /// Appends mono frames (the writer must have one channel).
    public func write(_ samples: [Float]) throws {
        try write(channels: [samples])
    }

    /// Patches the header sizes, closes the file and moves it to ``path`` (replacing any file there).
    /// Returns the duration written, in seconds.
    @discardableResult
    public func finish() throws -> Double {
        guard let handle else { preconditionFailure("finish() called twice") }
        self.handle = nil
        do {
            let dataBytes = Int(framesWritten) * channels * 2
            let header = WAVInfo.pcm16Header(sampleRate: sampleRate, channels: channels, dataBytes: dataBytes)
            try handle.seek(toOffset: 4)
            try handle.write(contentsOf: Data(header[4..<8]))
            try handle.seek(toOffset: 40)
            try handle.write(contentsOf: Data(header[40..<44]))
            try handle.close()
            let manager = FileManager.default
            if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
            try manager.moveItem(atPath: partialPath, toPath: path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partialPath)
            throw error
        }
        return Double(framesWritten) / Double(sampleRate)
    }

    /// Stops writing and deletes the partial file.
    public func cancel() {
        guard let handle else { return }
        self.handle = nil
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partialPath)
    }
}
