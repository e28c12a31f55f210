import Foundation
import PCAACore
import PCAANet

/// One short clip through Sarvam's synchronous `POST /speech-to-text` (multipart `file`, `model`, `mode`,
/// `language_code`, `with_timestamps=true`). The reply's phrase timestamps become segments (role `unknown`;
/// the caller labels them). Longer audio goes through ``ChunkedTranscriber`` first.
public struct SarvamSyncClient: SpeechToText {
    public let name = "sarvam"
    public let settings: SarvamSettings
    private let http = CurlHTTPClient(userAgent: "pcaa")

    public init(settings: SarvamSettings) {
        self.settings = settings
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        let errors = TranscriptionErrorMapper(provider: name, secret: settings.apiKey)
        var parts: [MultipartPart] = [
            .file(name: "file", path: audio.path, filename: "audio.wav", contentType: "audio/wav"),
            .field(name: "model", value: settings.model),
            .field(name: "language_code", value: TranscriptionLanguage.sarvamCode(from: call.language)),
            .field(name: "with_timestamps", value: "true"),
        ]
        if settings.sendsMode { parts.append(.field(name: "mode", value: settings.mode)) }
        let response: PCAANet.HTTPResponse
        do {
            response = try await http.sendMultipart(
                url: settings.url("/speech-to-text"), headers: settings.authHeaders, parts: parts,
                timeout: settings.timeout, connectTimeout: min(10, settings.timeout))
        } catch let error as HTTPClientError {
            throw errors.error(transport: error)
        }
        guard (200..<300).contains(response.status) else {
            throw errors.error(status: response.status, headers: response.headers, body: response.body)
        }
        let reply: SarvamSyncReply = try SarvamJSON.decode(response.body, errors: errors)
        let segments = reply.segments(clipDuration: audio.durationSeconds)
        return TranscriptResult(
            text: segments.map(\.text).joined(separator: " "), segments: segments,
            language: reply.languageCode.flatMap(TranscriptionLanguage.normalizeReported),
            provider: name, model: settings.model, audioDurationSeconds: audio.durationSeconds)
    }
}

/// `{request_id, transcript, language_code, timestamps:{words[], start_time_seconds[], end_time_seconds[]}}`.
struct SarvamSyncReply: Decodable {
    struct Timestamps: Decodable {
        var words: [String]
        var startTimeSeconds: [Double]
        var endTimeSeconds: [Double]

        enum CodingKeys: String, CodingKey {
            case words
            case startTimeSeconds = "start_time_seconds"
            case endTimeSeconds = "end_time_seconds"
        }
    }

    var requestId: String?
    var transcript: String
    var languageCode: String?
    var timestamps: Timestamps?

    enum CodingKeys: String, CodingKey {
        case transcript, timestamps
        case requestId = "request_id"
        case languageCode = "language_code"
    }

    /// One segment per timestamped phrase; the whole clip as one segment when the reply has no usable timestamps.
    func segments(clipDuration: Double) -> [TranscriptSegment] {
        if let timestamps, !timestamps.words.isEmpty,
           timestamps.words.count == timestamps.startTimeSeconds.count, timestamps.words.count == timestamps.endTimeSeconds.count {
            return timestamps.words.indices.compactMap { index in
                let text = timestamps.words[index].trimmingSpaces
                let start = timestamps.startTimeSeconds[index], end = timestamps.endTimeSeconds[index]
                guard !text.isEmpty, start.isFinite, end.isFinite, end >= start else { return nil }
                return TranscriptSegment(start: start, end: end, role: .unknown, text: text)
            }
        }
        let text = transcript.trimmingSpaces
        return text.isEmpty ? [] : [TranscriptSegment(start: 0, end: clipDuration, role: .unknown, text: text)]
    }
}

/// Decoding of Sarvam's JSON replies with errors that say what was wrong, never the key.
enum SarvamJSON {
    static func decode<T: Decodable>(_ body: [UInt8], errors: TranscriptionErrorMapper) throws(StageError) -> T {
        if let envelope = try? JSONDecoder().decode(ProviderErrorEnvelope.self, from: Data(body)), let payload = envelope.error {
            throw errors.errorReply(payload)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw errors.badResponse("reply is not the documented shape (\(VerboseTranscription.summary(of: error))); body starts with \(errors.snippet(body))")
        }
    }
}
