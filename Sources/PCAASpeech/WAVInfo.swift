import Foundation

/// Why an audio file cannot be used.
public enum AudioFormatError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Not a (well-formed) RIFF/WAVE file; the message says what it looks like instead.
    case notWAV(String)
    /// A valid WAV file in a format this product does not handle.
    case unsupported(String)
    /// The file ends before its header is complete.
    case truncated(String)

    public var description: String {
        switch self {
        case .notWAV(let message): return "not a WAV file: \(message)"
        case .unsupported(let message): return "unsupported WAV format: \(message)"
        case .truncated(let message): return "truncated WAV file: \(message)"
        }
    }
}

/// Format and data layout of a WAV file, read from its RIFF header chunks only.
public struct WAVInfo: Sendable, Equatable {
    /// 1 = PCM, 3 = IEEE float; for WAVE_FORMAT_EXTENSIBLE (0xFFFE) the sub-format's code.
    public var format: UInt16
    public var channels: Int
    public var sampleRate: Int
    public var bitsPerSample: Int
    /// Byte offset of the first sample.
    public var dataOffset: Int64
    /// Size of the data chunk, clamped to what the file really holds.
    public var dataBytes: Int64
    /// Duration of the whole frames in the data chunk.
    public var durationSeconds: Double

    public init(
        format: UInt16, channels: Int, sampleRate: Int, bitsPerSample: Int,
        dataOffset: Int64, dataBytes: Int64, durationSeconds: Double
    ) {
        self.format = format
        self.channels = channels
        self.sampleRate = sampleRate
        self.bitsPerSample = bitsPerSample
        self.dataOffset = dataOffset
        self.dataBytes = dataBytes
        self.durationSeconds = durationSeconds
    }

    /// Sample rates accepted by this product.
    public static let supportedSampleRates = 8_000...48_000

    /// Reads and validates the header chunks of the WAV file at `path` without reading the samples.
    /// Throws ``AudioFormatError`` for format problems and the underlying error if the file cannot be read.
    public static func read(path: String) throws -> WAVInfo {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let fileSize = Int64(try handle.seekToEnd())
        let source = ByteSource(fileSize: fileSize, limit: fileSize) { offset, count in
            try handle.seek(toOffset: UInt64(offset))
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        }
        return try parse(source)
    }

    /// Parses a header given the file's first bytes (`header`) and its total size.
    /// Chunks lying beyond `header` are reported as ``AudioFormatError/truncated(_:)``.
    public static func parse(header: [UInt8], fileSize: Int64) throws -> WAVInfo {
        let size = max(fileSize, Int64(header.count))
        let source = ByteSource(fileSize: size, limit: Int64(header.count)) { offset, count in
            let start = Int(offset)
            let end = min(header.count, start + count)
            return start < end ? Array(header[start..<end]) : []
        }
        return try parse(source)
    }

    /// A canonical 44-byte header for 16-bit PCM (RIFF, `fmt ` of 16 bytes, `data`).
    public static func pcm16Header(sampleRate: Int, channels: Int, dataBytes: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(44)
        func u16(_ value: Int) { bytes += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)] }
        func u32(_ value: Int) { u16(value & 0xFFFF); u16((value >> 16) & 0xFFFF) }
        bytes += Array("RIFF".utf8)
        u32(36 + dataBytes)
        bytes += Array("WAVEfmt ".utf8)
        u32(16)
        u16(1)
        u16(channels)
        u32(sampleRate)
        u32(sampleRate * channels * 2)
        u16(channels * 2)
        u16(16)
        bytes += Array("data".utf8)
        u32(dataBytes)
        return bytes
    }
}

// MARK: - Parsing

extension WAVInfo {
    /// Random access to the start of a file: `read(offset, count)` returns up to `count` bytes.
    fileprivate struct ByteSource {
        /// Total size of the file.
        let fileSize: Int64
        /// How far `read` can see (the file size, or the length of a header prefix).
        let limit: Int64
        let read: (Int64, Int) throws -> [UInt8]

        /// Exactly `count` bytes at `offset`, or `.truncated` saying what was being read.
        func bytes(at offset: Int64, count: Int, what: String) throws -> [UInt8] {
            if offset + Int64(count) > limit {
                if limit < fileSize, offset + Int64(count) <= fileSize {
                    throw AudioFormatError.truncated("\(what) at offset \(offset) lies beyond the \(limit) header bytes provided")
                }
                throw AudioFormatError.truncated("file ends (\(fileSize) bytes) inside the \(what) at offset \(offset)")
            }
            let result = try read(offset, count)
            guard result.count == count else {
                throw AudioFormatError.truncated("file ends inside the \(what) at offset \(offset)")
            }
            return result
        }
    }

    /// The fields of a `fmt ` chunk that matter here.
    private struct FormatChunk {
        var format: UInt16
        var channels: Int
        var sampleRate: Int
        var blockAlign: Int
        var bitsPerSample: Int
    }

    private static let maxChunks = 10_000

    private static func parse(_ source: ByteSource) throws -> WAVInfo {
        guard source.fileSize > 0 else { throw AudioFormatError.notWAV("empty file") }
        if let description = describeForeign(try source.read(0, Int(min(12, source.limit)))) {
            throw AudioFormatError.notWAV(description)
        }
        let prefix = try source.bytes(at: 0, count: 12, what: "RIFF header")
        let isRF64 = fourCC(prefix, 0) == "RF64" || fourCC(prefix, 0) == "BW64"
        guard fourCC(prefix, 8) == "WAVE" else {
            throw AudioFormatError.notWAV("RIFF file of type '\(fourCC(prefix, 8))', not WAVE")
        }

        var offset: Int64 = 12
        var fmt: FormatChunk?
        var ds64DataSize: Int64?
        for _ in 0..<maxChunks {
            if offset + 8 > source.fileSize {
                if offset < source.fileSize {
                    _ = try source.bytes(at: offset, count: 8, what: "chunk header")
                }
                let missing = fmt == nil ? "'fmt '" : "'data'"
                throw AudioFormatError.truncated("file ends (\(source.fileSize) bytes) before the \(missing) chunk")
            }
            let chunkHeader = try source.bytes(at: offset, count: 8, what: "chunk header")
            let id = fourCC(chunkHeader, 0)
            let size = Int64(le32(chunkHeader, 4))
            let body = offset + 8

            switch id {
            case "fmt ":
                guard size >= 16 else { throw AudioFormatError.notWAV("'fmt ' chunk is only \(size) bytes") }
                let bytes = try source.bytes(at: body, count: Int(min(size, 40)), what: "'fmt ' chunk")
                let parsed = try parseFormat(bytes)
                try validate(parsed)
                fmt = parsed
            case "ds64" where isRF64:
                let bytes = try source.bytes(at: body, count: 16, what: "'ds64' chunk")
                ds64DataSize = Int64(bitPattern: le64(bytes, 8))
            case "data":
                guard let fmt else {
                    throw AudioFormatError.notWAV("'data' chunk appears before the 'fmt ' chunk")
                }
                return makeInfo(fmt: fmt, dataOffset: body, declaredSize: size, ds64Size: ds64DataSize, fileSize: source.fileSize)
            default:
                break // LIST, fact, cue, bext, JUNK, ...: skip
            }
            offset = body + size + (size & 1)
        }
        throw AudioFormatError.notWAV("more than \(maxChunks) chunks before the 'data' chunk")
    }

    private static func makeInfo(fmt: FormatChunk, dataOffset: Int64, declaredSize: Int64, ds64Size: Int64?, fileSize: Int64) -> WAVInfo {
        let available = max(0, fileSize - dataOffset)
        var dataBytes = declaredSize
        if declaredSize == 0xFFFF_FFFF {
            dataBytes = ds64Size.map { $0 > 0 ? $0 : available } ?? available
        }
        if dataBytes == 0 || dataBytes > available {
            dataBytes = available // streamed WAV: size never patched, or file cut short
        }
        let frames = dataBytes / Int64(fmt.blockAlign)
        return WAVInfo(
            format: fmt.format, channels: fmt.channels, sampleRate: fmt.sampleRate,
            bitsPerSample: fmt.bitsPerSample, dataOffset: dataOffset, dataBytes: dataBytes,
            durationSeconds: Double(frames) / Double(fmt.sampleRate))
    }

    private static func parseFormat(_ bytes: [UInt8]) throws -> FormatChunk {
        var format = le16(bytes, 0)
        if format == 0xFFFE {
            guard bytes.count >= 40 else {
                throw AudioFormatError.notWAV("WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is only \(bytes.count) bytes")
            }
            format = le16(bytes, 24) // first two bytes of the sub-format GUID
        }
        return FormatChunk(
            format: format,
            channels: Int(le16(bytes, 2)),
            sampleRate: Int(le32(bytes, 4)),
            blockAlign: Int(le16(bytes, 12)),
            bitsPerSample: Int(le16(bytes, 14)))
    }

    private static func validate(_ fmt: FormatChunk) throws {
        guard fmt.channels > 0 else { throw AudioFormatError.notWAV("'fmt ' chunk declares 0 channels") }
        guard fmt.sampleRate > 0 else { throw AudioFormatError.notWAV("'fmt ' chunk declares sample rate 0") }
        guard fmt.format == 1 || fmt.format == 3 else {
            throw AudioFormatError.unsupported("\(formatName(fmt.format)) (only PCM is supported)")
        }
        let expectedAlign = fmt.channels * ((fmt.bitsPerSample + 7) / 8)
        guard fmt.bitsPerSample > 0, fmt.blockAlign == expectedAlign else {
            throw AudioFormatError.notWAV(
                "block align \(fmt.blockAlign) does not match \(fmt.channels) channel(s) of \(fmt.bitsPerSample)-bit samples")
        }
        guard fmt.format == 1 else {
            throw AudioFormatError.unsupported("\(fmt.bitsPerSample)-bit IEEE float samples (only 8/16-bit PCM is supported)")
        }
        guard fmt.bitsPerSample == 8 || fmt.bitsPerSample == 16 else {
            throw AudioFormatError.unsupported("\(fmt.bitsPerSample)-bit samples (only 8/16-bit PCM is supported)")
        }
        guard fmt.channels <= 2 else {
            throw AudioFormatError.unsupported("\(fmt.channels) channels (only mono or stereo is supported)")
        }
        guard supportedSampleRates.contains(fmt.sampleRate) else {
            throw AudioFormatError.unsupported("sample rate \(fmt.sampleRate) Hz (supported: 8000–48000 Hz)")
        }
    }

    private static func formatName(_ code: UInt16) -> String {
        switch code {
        case 2: return "MS ADPCM"
        case 6: return "A-law"
        case 7: return "µ-law"
        case 0x11: return "IMA ADPCM"
        case 0x31: return "GSM 6.10"
        case 0x55: return "MP3 in WAV"
        default: return "format code 0x" + String(code, radix: 16, uppercase: true)
        }
    }

    /// Names a non-RIFF/WAVE file by its magic bytes; nil when it starts like RIFF/RF64.
    private static func describeForeign(_ prefix: [UInt8]) -> String? {
        func starts(_ magic: String) -> Bool { prefix.starts(with: Array(magic.utf8)) }
        if starts("RIFF") || starts("RF64") || starts("BW64") { return nil }
        let riffPrefix = Array("RIFF".utf8)
        if prefix.count < 4, riffPrefix.starts(with: prefix) { return nil } // too short to tell: truncated
        if starts("ID3") { return "file starts with ID3 (MP3?)" }
        if prefix.count >= 2, prefix[0] == 0xFF, prefix[1] & 0xE0 == 0xE0 {
            return (prefix[1] & 0x06) == 0 ? "file starts with an ADTS frame sync (AAC?)" : "file starts with an MPEG audio frame sync (MP3?)"
        }
        if starts("OggS") { return "file starts with OggS (Ogg Opus/Vorbis?)" }
        if starts("fLaC") { return "file starts with fLaC (FLAC)" }
        if starts("RIFX") { return "big-endian RIFX file" }
        if starts("#!AMR") { return "file starts with #!AMR (AMR)" }
        if starts("FORM") { return "file starts with FORM (AIFF?)" }
        if prefix.count >= 8, fourCC(prefix, 4) == "ftyp" { return "file is an MP4/M4A container" }
        if prefix.starts(with: [0x30, 0x26, 0xB2, 0x75]) {
            return "file is an ASF/WMA container"
        }
        let hex = prefix.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")
        return "RIFF header missing (file starts with \(hex))"
    }

    // MARK: Little-endian helpers

    private static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(le16(bytes, at)) | UInt32(le16(bytes, at + 2)) << 16
    }

    private static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32
    }

    private static func fourCC(_ bytes: [UInt8], _ at: Int) -> String {
        String(decoding: bytes[at..<at + 4], as: UTF8.self)
    }
}
