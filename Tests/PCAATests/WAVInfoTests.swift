import Foundation
import PCAASpeech
import Testing

/// Tests for WAV header parsing (`WAVInfo`).
@Suite("WAVInfo")
struct WAVInfoTests {
    @Test func canonicalHeaderIs44Bytes() throws {
        let header = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 32_000)
        #expect(header.count == 44)
        #expect(Array(header[0..<4]) == Array("RIFF".utf8))
        #expect(Array(header[8..<16]) == Array("WAVEfmt ".utf8))
        #expect(Array(header[36..<40]) == Array("data".utf8))
        let info = try WAVInfo.parse(header: header, fileSize: 44 + 32_000)
        #expect(info == WAVInfo(
            format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16,
            dataOffset: 44, dataBytes: 32_000, durationSeconds: 1.0))
    }

    @Test func stereo8kHzFileDuration() throws {
        // 2.5 s of 8 kHz stereo 16-bit = 8000 * 2 * 2 * 2.5 bytes.
        let dataBytes = 80_000
        let path = try writeTemp(WAVInfo.pcm16Header(sampleRate: 8_000, channels: 2, dataBytes: dataBytes) + [UInt8](repeating: 0, count: dataBytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info = try WAVInfo.read(path: path)
        #expect(info.format == 1)
        #expect(info.channels == 2)
        #expect(info.sampleRate == 8_000)
        #expect(info.bitsPerSample == 16)
        #expect(info.dataOffset == 44)
        #expect(info.dataBytes == Int64(dataBytes))
        #expect(abs(info.durationSeconds - 2.5) < 1e-9)
    }

    @Test func listChunkBeforeDataIsSkipped() throws {
        let dataBytes = 16_000
        let canonical = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: dataBytes)
        // Odd-sized LIST chunk (7 bytes + 1 pad byte) between fmt and data.
        var list = Array("LIST".utf8) + le32(7) + Array("INFOabc".utf8) + [0]
        list += Array("fact".utf8) + le32(4) + le32(8_000)
        let header = Array(canonical[0..<36]) + list + Array(canonical[36..<44])
        let path = try writeTemp(header + [UInt8](repeating: 1, count: dataBytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info = try WAVInfo.read(path: path)
        #expect(info.dataOffset == Int64(44 + list.count))
        #expect(info.dataBytes == Int64(dataBytes))
        #expect(abs(info.durationSeconds - 0.5) < 1e-9)
    }

    @Test func streamedDataSizeUsesFileSize() throws {
        for declared in [0, 0x7FFF_FFFF, -1] { // 0, larger than the file, 0xFFFFFFFF
            var header = WAVInfo.pcm16Header(sampleRate: 8_000, channels: 1, dataBytes: 0)
            header.replaceSubrange(40..<44, with: le32(UInt32(truncatingIfNeeded: declared)))
            let info = try WAVInfo.parse(header: header, fileSize: 44 + 16_001)
            #expect(info.dataBytes == 16_001)
            #expect(abs(info.durationSeconds - 1.0) < 1e-9) // the trailing half sample is not a frame
        }
    }

    @Test func rf64IsAccepted() throws {
        var header = Array("RF64".utf8) + le32(0xFFFF_FFFF) + Array("WAVE".utf8)
        header += Array("ds64".utf8) + le32(28) + le64(0) + le64(32_000) + le64(16_000) + le32(0)
        let canonical = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 0)
        header += Array(canonical[12..<36]) + Array("data".utf8) + le32(0xFFFF_FFFF)
        let info = try WAVInfo.parse(header: header, fileSize: Int64(header.count) + 32_000)
        #expect(info.dataOffset == Int64(header.count))
        #expect(info.dataBytes == 32_000)
        #expect(abs(info.durationSeconds - 1.0) < 1e-9)
    }

    @Test func extensibleReportsSubFormat() throws {
        var fmt = le16(0xFFFE) + le16(2) + le32(48_000) + le32(48_000 * 4) + le16(4) + le16(16)
        fmt += le16(22) + le16(16) + le32(3) + le16(1) + [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        let header = Array("RIFF".utf8) + le32(0) + Array("WAVE".utf8) + Array("fmt ".utf8) + le32(UInt32(fmt.count)) + fmt
            + Array("data".utf8) + le32(192_000)
        let info = try WAVInfo.parse(header: header, fileSize: Int64(header.count) + 192_000)
        #expect(info.format == 1)
        #expect(info.channels == 2)
        #expect(info.sampleRate == 48_000)
        #expect(abs(info.durationSeconds - 1.0) < 1e-9)
    }

    @Test func mp3IsNotWAV() throws {
        let id3 = Array("ID3".utf8) + [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21] + [UInt8](repeating: 0, count: 200)
        let path = try writeTemp(id3)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: AudioFormatError.notWAV("file starts with ID3 (MP3?)")) { try WAVInfo.read(path: path) }

        let frameSync: [UInt8] = [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 100)
        let error = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: frameSync, fileSize: 104) }
        #expect(error.map(isNotWAV) == true)
        #expect(error?.description.contains("MP3") == true)
    }

    @Test func otherContainersAreNamed() throws {
        for (magic, word) in [("OggS", "OggS"), ("fLaC", "FLAC")] {
            let bytes = Array(magic.utf8) + [UInt8](repeating: 0, count: 60)
            let error = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: bytes, fileSize: 64) }
            #expect(error?.description.contains(word) == true)
            #expect(error.map(isNotWAV) == true)
        }
        let text = Array("hello, this is text".utf8)
        let error = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: text, fileSize: Int64(text.count)) }
        #expect(error?.description.contains("RIFF header missing") == true)
    }

    @Test func bit24IsUnsupported() throws {
        var header = WAVInfo.pcm16Header(sampleRate: 44_100, channels: 2, dataBytes: 600)
        header.replaceSubrange(28..<32, with: le32(44_100 * 6)) // byte rate
        header.replaceSubrange(32..<34, with: le16(6))          // block align
        header.replaceSubrange(34..<36, with: le16(24))         // bits per sample
        let error = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: header, fileSize: 644) }
        guard case .unsupported(let message)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(message.contains("24-bit"))
    }

    @Test func unsupportedLayoutsAreExplained() throws {
        let sixChannels = WAVInfo.pcm16Header(sampleRate: 48_000, channels: 6, dataBytes: 1200)
        #expect(throws: AudioFormatError.unsupported("6 channels (only mono or stereo is supported)")) {
            try WAVInfo.parse(header: sixChannels, fileSize: 1244)
        }
        let highRate = WAVInfo.pcm16Header(sampleRate: 96_000, channels: 1, dataBytes: 1200)
        let rateError = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: highRate, fileSize: 1244) }
        #expect(rateError?.description.contains("sample rate 96000 Hz") == true)

        var float = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 400)
        float.replaceSubrange(20..<22, with: le16(3))
        float.replaceSubrange(32..<34, with: le16(4))
        float.replaceSubrange(34..<36, with: le16(32))
        let floatError = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: float, fileSize: 444) }
        #expect(floatError?.description.contains("float") == true)
    }

    @Test func malformedFormatsAreRejected() throws {
        var zeroChannels = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 100)
        zeroChannels.replaceSubrange(22..<24, with: le16(0))
        #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: zeroChannels, fileSize: 144) }

        let zeroRate = WAVInfo.pcm16Header(sampleRate: 0, channels: 1, dataBytes: 100)
        #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: zeroRate, fileSize: 144) }

        var badAlign = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 2, dataBytes: 100)
        badAlign.replaceSubrange(32..<34, with: le16(3))
        let alignError = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: badAlign, fileSize: 144) }
        #expect(alignError?.description.contains("block align") == true)

        var notWave = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 100)
        notWave.replaceSubrange(8..<12, with: Array("AVI ".utf8))
        let aviError = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: notWave, fileSize: 144) }
        #expect(aviError.map(isNotWAV) == true)

        // data chunk with no fmt chunk before it
        let noFmt = Array("RIFF".utf8) + le32(12) + Array("WAVE".utf8) + Array("data".utf8) + le32(4) + [0, 0, 0, 0]
        let noFmtError = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: noFmt, fileSize: Int64(noFmt.count)) }
        #expect(noFmtError.map(isNotWAV) == true)
    }

    @Test func truncatedHeaderIsReported() throws {
        let header = WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 100)
        for cut in [8, 30, 36, 40] {
            let path = try writeTemp(Array(header[0..<cut]))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = #expect(throws: AudioFormatError.self) { try WAVInfo.read(path: path) }
            #expect(error.map(isTruncated) == true, "cut at \(cut): \(String(describing: error))")
        }
        // A prefix too short to reach the data chunk of a bigger file.
        let error = #expect(throws: AudioFormatError.self) { try WAVInfo.parse(header: Array(header[0..<20]), fileSize: 144) }
        #expect(error.map(isTruncated) == true)
    }

    @Test func emptyFileIsNotWAV() throws {
        let path = try writeTemp([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: AudioFormatError.notWAV("empty file")) { try WAVInfo.read(path: path) }
        #expect(throws: AudioFormatError.notWAV("empty file")) { try WAVInfo.parse(header: [], fileSize: 0) }
    }

    @Test func readDoesNotNeedTheSamples() throws {
        // Header claims 10 MB of data, but the file holds 1000 bytes: clamped.
        let path = try writeTemp(WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 10_000_000) + [UInt8](repeating: 0, count: 1000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info = try WAVInfo.read(path: path)
        #expect(info.dataBytes == 1000)
        #expect(abs(info.durationSeconds - 500.0 / 16_000.0) < 1e-9)
    }

    @Test func missingFileThrows() {
        #expect(throws: (any Error).self) { try WAVInfo.read(path: "/nonexistent/pcaa-\(UUID().uuidString).wav") }
    }
}

// MARK: - Helpers

private func isNotWAV(_ error: AudioFormatError) -> Bool {
    if case .notWAV = error { return true }
    return false
}

private func isTruncated(_ error: AudioFormatError) -> Bool {
    if case .truncated = error { return true }
    return false
}

private func le16(_ value: UInt16) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8(value >> 8)]
}

private func le32(_ value: UInt32) -> [UInt8] {
    le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16))
}

private func le64(_ value: UInt64) -> [UInt8] {
    le32(UInt32(value & 0xFFFF_FFFF)) + le32(UInt32(value >> 32))
}

private func writeTemp(_ bytes: [UInt8]) throws -> String {
    let path = TestDaemon.temporaryDirectory() + "/sample.wav"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}
