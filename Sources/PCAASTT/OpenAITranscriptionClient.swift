import Foundation
import PCAACore
import PCAANet

/// Speech-to-text through an OpenAI-compatible `POST {base}/v1/audio/transcriptions` endpoint:
/// OpenAI itself, a self-hosted whisper server, or pcaa's local helper (under the name `"local"`).
///
/// Uploads the WAV as multipart/form-data streamed from disk (`file`, `model`, `language`,
/// `response_format=verbose_json`, `timestamp_granularities[]=segment` and `word`), decodes the segments and
/// their word timings, drops hallucinated ones (``HallucinationGuard``) and returns them with role `.unknown` (the
/// caller assigns roles). One file is one request; a file above `maxUploadBytes` fails permanently with
/// `stt_upload_too_large` before anything is sent (``ChunkedTranscriber`` keeps files under it). All failures are `StageError`s; none contains the API key.
public struct OpenAITranscriptionClient: SpeechToText, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let name: String
    /// Base URL, e.g. `https://api.openai.com` (a trailing `/v1` is tolerated).
    public let baseURL: String
    public let model: String
    /// Whole-request timeout in seconds (upload, processing and reply).
    public let timeout: Double
    /// Largest file sent in one request (OpenAI: 25 MiB).
    public let maxUploadBytes: Int
    /// Which decoded segments are kept.
    public var hallucinationGuard = HallucinationGuard()
    /// Never printed: see `description` and `customMirror`.
    private let apiKey: String?
    private let http = CurlHTTPClient(userAgent: "pcaa")

    public init(name: String = "whisper", baseURL: String, apiKey: String?, model: String, timeout: Double, maxUploadBytes: Int = 25 << 20) {
        self.name = name
        self.baseURL = baseURL
        self.apiKey = apiKey.flatMap { $0.trimmingSpaces.isEmpty ? nil : $0.trimmingSpaces }
        self.model = model
        self.timeout = timeout
        self.maxUploadBytes = maxUploadBytes
    }

    /// The endpoint the recording is posted to.
    public var endpoint: String {
        var base = baseURL.trimmingSpaces
        while base.hasSuffix("/") { base.removeLast() }
        if base.lowercased().hasSuffix("/v1") { base.removeLast(3) }
        return base + "/v1/audio/transcriptions"
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        let errors = TranscriptionErrorMapper(provider: name, secret: apiKey)
        let size = try Self.fileSize(audio.path, errors: errors)
        guard size <= Int64(maxUploadBytes) else {
            throw StageError.permanent(
                "stt_upload_too_large",
                "\(name): recording is \(size) bytes, above the \(maxUploadBytes)-byte upload limit ")
        }
        let language = TranscriptionLanguage.iso639_1(from: call.language)

        let response: PCAANet.HTTPResponse
        do {
            response = try await http.sendMultipart(
                url: endpoint, headers: headers(), parts: parts(audio: audio, language: language),
                timeout: timeout, connectTimeout: min(10, max(timeout, 1)))
        } catch let error as HTTPClientError {
            throw errors.error(transport: error)
        }

        guard (200..<300).contains(response.status) else {
            throw errors.error(status: response.status, headers: response.headers, body: response.body)
        }
        let reply = try VerboseTranscription.decode(response.body, errors: errors)
        return reply.transcript(
            guard: hallucinationGuard, provider: name, model: model, requestedLanguage: language, audio: audio)
    }

    // MARK: Request

    private func headers() -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [(name: "Accept", value: "application/json")]
        if let apiKey { headers.append((name: "Authorization", value: "Bearer \(apiKey)")) }
        return headers
    }

    private func parts(audio: AudioFile, language: String?) -> [MultipartPart] {
        var parts: [MultipartPart] = [
            .file(name: "file", path: audio.path, filename: Self.uploadFilename(audio.path), contentType: "audio/wav"),
            .field(name: "model", value: model),
        ]
        if let language { parts.append(.field(name: "language", value: language)) }
        parts.append(.field(name: "response_format", value: "verbose_json"))
        parts.append(.field(name: "timestamp_granularities[]", value: "segment"))
        parts.append(.field(name: "timestamp_granularities[]", value: "word"))
        return parts
    }

    /// The file's name with a `.wav` extension (OpenAI infers the format from it).
    static func uploadFilename(_ path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? ""
        if base.isEmpty { return "audio.wav" }
        return base.lowercased().hasSuffix(".wav") ? base : base + ".wav"
    }

    private static func fileSize(_ path: String, errors: TranscriptionErrorMapper) throws(StageError) -> Int64 {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw errors.error(transport: .fileError(path: path, message: "cannot stat the recording"))
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.int64Value
        else {
            throw errors.error(transport: .fileError(path: path, message: "not a regular file"))
        }
        return size
    }

    // MARK: Printing (never shows the key)

    public var description: String {
        "OpenAITranscriptionClient(name: \(name), endpoint: \(endpoint), model: \(model), apiKey: \(apiKey == nil ? "none" : "[redacted]"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "name": name, "baseURL": baseURL, "model": model, "timeout": timeout, "maxUploadBytes": maxUploadBytes,
            "apiKey": apiKey == nil ? "none" : "[redacted]",
        ])
    }
}
