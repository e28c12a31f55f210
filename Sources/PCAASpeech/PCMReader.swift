import Foundation

/// Streams the samples of a PCM WAV file in chunks, without loading the file.
///
/// Samples are converted to `Float` in [-1, 1]: 8-bit unsigned (128 = silence) as `(v - 128) / 128`,
/// 16-bit signed little-endian as `v / 32768`. Each call to ``next(maxFrames:)`` returns one array per
/// channel (de-interleaved), so memory use is bounded by the chunk size, not the recording length.
///
/// The reader owns an open file handle; it is closed when the last copy of the reader goes away
/// (or earlier with ``close()``). Copies share the handle but each keeps its own position.
public struct PCMReader {
    /// Header of the file being read.
    public let info: WAVInfo
    /// Whole frames (one sample per channel) in the data chunk.
    public let totalFrames: Int64
    /// Index of the next frame ``next(maxFrames:)`` returns.
    public private(set) var position: Int64 = 0

    /// Default chunk size for ``next(maxFrames:)``: 64 K frames.
    public static let defaultChunkFrames = 65_536

    private let file: FileBox
    private let bytesPerSample: Int
    private let blockAlign: Int

    /// Opens `path` and validates its header (throws ``AudioFormatError`` for unsupported formats).
    public init(path: String) throws {
        let info = try WAVInfo.read(path: path)
        guard info.format == 1, info.bitsPerSample == 8 || info.bitsPerSample == 16 else {
            throw AudioFormatError.unsupported("\(info.bitsPerSample)-bit samples with format code \(info.format)")
        }
        self.info = info
        self.bytesPerSample = info.bitsPerSample / 8
        self.blockAlign = bytesPerSample * info.channels
        self.totalFrames = info.dataBytes / Int64(blockAlign)
        self.file = FileBox(try FileHandle(forReadingFrom: URL(fileURLWithPath: path)))
    }

    /// Frames not yet returned.
    public var remainingFrames: Int64 { totalFrames - position }

    /// Moves the read position to `frame` (clamped to `0...totalFrames`).
    public mutating func seek(toFrame frame: Int64) {
        position = min(max(0, frame), totalFrames)
    }

    /// The next up to `maxFrames` frames, one `[Float]` per channel (all the same length), or nil at the end.
    /// Throws ``AudioFormatError/truncated(_:)`` if the file shrinks while it is being read.
    public mutating func next(maxFrames: Int = PCMReader.defaultChunkFrames) throws -> [[Float]]? {
        precondition(maxFrames > 0, "maxFrames must be positive")
        let frames = Int(min(Int64(maxFrames), remainingFrames))
        guard frames > 0 else { return nil }
        let byteCount = frames * blockAlign
        let handle = file.handle
        try handle.seek(toOffset: UInt64(info.dataOffset + position * Int64(blockAlign)))
        var data = Data()
        while data.count < byteCount {
            guard let piece = try handle.read(upToCount: byteCount - data.count), !piece.isEmpty else { break }
            data.append(piece)
        }
        guard data.count == byteCount else {
            throw AudioFormatError.truncated("file ends inside the sample data (frame \(position + Int64(data.count / blockAlign)))")
        }
        let channels = info.channels
        var output = [[Float]](repeating: [], count: channels)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            for channel in 0..<channels {
                output[channel] = [Float](unsafeUninitializedCapacity: frames) { buffer, initialized in
                    var frame = 0
                    if bytesPerSample == 1 {
                        var index = channel
                        while frame < frames {
                            buffer[frame] = (Float(bytes[index]) - 128) / 128
                            index += blockAlign
                            frame += 1
                        }
                    } else {
                        var index = channel * 2
                        while frame < frames {
                            let bits = UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                            buffer[frame] = Float(Int16(bitPattern: bits)) / 32_768
                            index += blockAlign
                            frame += 1
                        }
                    }
                    initialized = frames
                }
            }
        }
        position += Int64(frames)
        return output
    }

    /// The next up to `maxFrames` frames averaged over the channels (a mono down-mix), or nil at the end.
    public mutating func nextMono(maxFrames: Int = PCMReader.defaultChunkFrames) throws -> [Float]? {
        guard let chunk = try next(maxFrames: maxFrames) else { return nil }
        return PCMReader.downmix(chunk)
    }

    /// Closes the file now; later reads throw.
    public func close() {
        try? file.handle.close()
    }

    /// Averages per-channel arrays of equal length into one.
    static func downmix(_ channels: [[Float]]) -> [Float] {
        guard channels.count > 1 else { return channels.first ?? [] }
        var mixed = channels[0]
        let scale = 1 / Float(channels.count)
        mixed.withUnsafeMutableBufferPointer { out in
            for channel in channels.dropFirst() {
                channel.withUnsafeBufferPointer { input in
                    var i = 0
                    while i < out.count {
                        out[i] += input[i]
                        i += 1
                    }
                }
            }
            var i = 0
            while i < out.count {
                out[i] *= scale
                i += 1
            }
        }
        return mixed
    }

    /// Keeps the handle alive while any copy of the reader exists and closes it with the last one.
    private final class FileBox {
        let handle: FileHandle
        init(_ handle: FileHandle) { self.handle = handle }
        deinit { try? handle.close() }
    }
}
