import Foundation
import Hummingbird
import PCAACore
import PCAASpeech

// Pieces shared by the fake provider servers (OpenAI, Sarvam, Deepgram): test audio, replies, multipart parsing.

// MARK: - Test recordings

/// A 16 kHz mono 16-bit WAV file of deterministic non-silent samples, written to a temporary directory.
struct TestWAV {
    let path: String
    let bytes: [UInt8]
    let audio: AudioFile

    init(seconds: Int) throws {
        let sampleRate = 16000
        let dataBytes = sampleRate * 2 * seconds
        var bytes = WAVInfo.pcm16Header(sampleRate: sampleRate, channels: 1, dataBytes: dataBytes)
        bytes.reserveCapacity(bytes.count + dataBytes)
        var state: UInt32 = 0x1234_5678
        for _ in 0..<dataBytes {
            state = state &* 1_664_525 &+ 1_013_904_223 // LCG: every byte value occurs, incl. CR/LF and "--"
            bytes.append(UInt8(truncatingIfNeeded: state >> 24))
        }
        path = TestDaemon.temporaryDirectory() + "/recording.wav"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        self.bytes = bytes
        audio = AudioFile(path: path, sampleRate: sampleRate, channels: 1, bitsPerSample: 16, durationSeconds: Double(seconds))
    }
}

struct FakeReply: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: String

    static func json(_ body: String) -> FakeReply { FakeReply(status: 200, body: body) }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

func response(_ reply: FakeReply) -> Response {
    var headers = HTTPFields()
    if !reply.headers.contains(where: { $0.0.lowercased() == "content-type" }) {
        headers[.contentType] = "application/json"
    }
    for (name, value) in reply.headers {
        headers.append(.init(name: .init(name)!, value: value))
    }
    return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
}

// MARK: - Multipart parsing

struct MultipartParseError: Error, CustomStringConvertible {
    let description: String
}

struct ParsedPart {
    var name: String
    var filename: String?
    var contentType: String?
    var body: Data
}

/// Parses a `multipart/form-data` body (RFC 7578): parts separated by `CRLF--boundary`, each with headers, a blank line and content.
func parseMultipart(_ body: Data, contentType: String) throws -> [ParsedPart] {
    guard let boundaryParameter = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
        .first(where: { $0.lowercased().hasPrefix("boundary=") })
    else { throw MultipartParseError(description: "no boundary in \(contentType)") }
    var boundary = String(boundaryParameter.dropFirst("boundary=".count))
    if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }

    // Prepending CRLF lets the first delimiter be found like the others.
    let data = Data("\r\n".utf8) + body
    let delimiter = Data("\r\n--\(boundary)".utf8)
    let crlf = Data("\r\n".utf8)
    let headerEnd = Data("\r\n\r\n".utf8)
    guard var cursor = data.range(of: delimiter)?.upperBound else {
        throw MultipartParseError(description: "no opening delimiter")
    }
    var parts: [ParsedPart] = []
    while true {
        if data[cursor...].starts(with: Data("--".utf8)) { return parts } // close delimiter
        guard data[cursor...].starts(with: crlf) else { throw MultipartParseError(description: "bad delimiter line") }
        let headersStart = cursor + 2
        guard let headersRange = data.range(of: headerEnd, in: (headersStart - 2)..<data.endIndex) else {
            throw MultipartParseError(description: "unterminated part headers")
        }
        let headerText = String(decoding: data[headersStart..<max(headersStart, headersRange.lowerBound)], as: UTF8.self)
        guard let next = data.range(of: delimiter, in: headersRange.upperBound..<data.endIndex) else {
            throw MultipartParseError(description: "missing closing delimiter")
        }
        var part = ParsedPart(name: "", body: Data(data[headersRange.upperBound..<next.lowerBound]))
        for line in headerText.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { part.contentType = value }
            if field == "content-disposition" {
                part.name = dispositionParameter("name", in: value) ?? ""
                part.filename = dispositionParameter("filename", in: value)
            }
        }
        guard !part.name.isEmpty else { throw MultipartParseError(description: "part without a name") }
        parts.append(part)
        cursor = next.upperBound
    }
}

/// `name="value"` from a Content-Disposition header.
func dispositionParameter(_ name: String, in header: String) -> String? {
    for item in header.split(separator: ";") {
        let pair = item.trimmingCharacters(in: .whitespaces)
        guard pair.lowercased().hasPrefix(name + "=") else { continue }
        var value = String(pair.dropFirst(name.count + 1))
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        return value
    }
    return nil
}

// MARK: - Fixture recordings

enum Fixture {
    /// The repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// A copy of `Tests/Fixtures/<name>` in a fresh temporary directory, with its header read.
    static func copy(_ name: String) throws -> AudioFile {
        let path = TestDaemon.temporaryDirectory() + "/" + name
        try FileManager.default.copyItem(atPath: root + "/Tests/Fixtures/" + name, toPath: path)
        return try audioFile(path)
    }

    /// `name` played `times` times back to back (a long call with real pauses), as 16-bit PCM.
    static func repeated(_ name: String, times: Int) throws -> AudioFile {
        let path = TestDaemon.temporaryDirectory() + "/repeated-" + name
        var reader = try PCMReader(path: root + "/Tests/Fixtures/" + name)
        defer { reader.close() }
        let writer = try PCM16WAVWriter(path: path, sampleRate: reader.info.sampleRate, channels: reader.info.channels)
        for _ in 0..<times {
            reader.seek(toFrame: 0)
            while let chunk = try reader.next(maxFrames: PCMReader.defaultChunkFrames) { try writer.write(channels: chunk) }
        }
        _ = try writer.finish()
        return try audioFile(path)
    }

    static func audioFile(_ path: String) throws -> AudioFile {
        let info = try WAVInfo.read(path: path)
        return AudioFile(path: path, sampleRate: info.sampleRate, channels: info.channels, bitsPerSample: info.bitsPerSample,
                         durationSeconds: info.durationSeconds)
    }
}

/// A JSON body from a literal, keys sorted.
func jsonText(_ object: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

/// Seconds of audio in a received WAV body (from its header), or nil when it is not a WAV.
func wavSeconds(_ bytes: [UInt8]) -> Double? {
    (try? WAVInfo.parse(header: Array(bytes.prefix(4096)), fileSize: Int64(bytes.count)))?.durationSeconds
}

/// The value of header `name` (case-insensitive) on a request the fake received.
func header(_ request: Request, _ name: String) -> String? {
    request.headers.first { $0.name.rawName.lowercased() == name.lowercased() }?.value
}
