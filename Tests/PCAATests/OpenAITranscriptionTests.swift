import Foundation
import Hummingbird
import PCAACore
import PCAANet
import PCAASpeech
import PCAASTT
import Testing

// Hummingbird re-exports HTTPTypes.HTTPRequest/HTTPResponse; PCAANet's types would need qualifying here.

/// `OpenAITranscriptionClient` against a fake OpenAI transcription endpoint on 127.0.0.1 that really parses
/// the multipart upload it receives and answers in the OpenAI API's shapes.
@Suite("OpenAITranscription")
struct OpenAITranscriptionTests {
    static let apiKey = "sk-test-SECRET-0123456789abcdefABCDEF"

    private func client(_ base: String, name: String = "whisper", apiKey: String? = Self.apiKey, timeout: Double = 30, maxUploadBytes: Int = 25 << 20) -> OpenAITranscriptionClient {
        OpenAITranscriptionClient(name: name, baseURL: base, apiKey: apiKey, model: "whisper-1", timeout: timeout, maxUploadBytes: maxUploadBytes)
    }

    private func call(language: String = "en-IN") -> CallContext {
        CallContext(bid: "b1", callid: "call-1", language: language, durationSeconds: 2)
    }

    // MARK: Success

    @Test func successReturnsSegments() async throws {
        let wav = try TestWAV(seconds: 2)
        let expectation = UploadExpectation(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)")
        try await withFakeOpenAI(expecting: expectation, reply: { _ in
            .json(verboseJSON(duration: 2.0, segments: [
                segment(0.0, 1.1, " Hello, thank you for calling.", noSpeech: 0.01, logprob: -0.2, ratio: 1.3),
                segment(1.1, 2.0, " How can I help you today?", noSpeech: 0.02, logprob: -0.25, ratio: 1.2),
            ]))
        }) { base, log in
            let result = try await client(base).transcribe(audio: wav.audio, call: call())
            #expect(result.text == "Hello, thank you for calling. How can I help you today?")
            #expect(result.segments == [
                TranscriptSegment(start: 0.0, end: 1.1, role: .unknown, text: "Hello, thank you for calling."),
                TranscriptSegment(start: 1.1, end: 2.0, role: .unknown, text: "How can I help you today?"),
            ])
            #expect(result.provider == "whisper")
            #expect(result.model == "whisper-1")
            #expect(result.language == "en")
            #expect(result.audioDurationSeconds == 2.0)

            let uploads = log.uploads
            try #require(uploads.count == 1)
            let upload = uploads[0]
            #expect(upload.problems.isEmpty, "\(upload.problems)")
            #expect(upload.fields["model"] == "whisper-1")
            #expect(upload.fields["language"] == "en")
            #expect(upload.fields["response_format"] == "verbose_json")
            #expect(upload.granularities == ["segment", "word"])
            #expect(upload.file?.bytes == wav.bytes)
            #expect(upload.file?.filename == "recording.wav")
            #expect(upload.file?.contentType == "audio/wav")
            #expect(upload.authorization == "Bearer \(Self.apiKey)")
            #expect(upload.contentType?.hasPrefix("multipart/form-data; boundary=") == true)
        }
    }

    @Test func hallucinatedSilenceIsDropped() async throws {
        let wav = try TestWAV(seconds: 2)
        try await withFakeOpenAI(expecting: UploadExpectation(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            .json(verboseJSON(duration: 2.0, segments: [
                segment(0.0, 0.6, " Yes, I can see the order.", noSpeech: 0.05, logprob: -0.3, ratio: 1.4),
                // Whisper's classic: text invented over silence.
                segment(0.6, 1.0, " Thank you for watching.", noSpeech: 0.92, logprob: -1.4, ratio: 0.9),
                // Quiet but confidently decoded speech is kept.
                segment(1.0, 1.3, " Okay.", noSpeech: 0.9, logprob: -0.4, ratio: 0.8),
                // A repetition loop.
                segment(1.3, 1.7, " no no no no no no no no no no no no", noSpeech: 0.1, logprob: -0.5, ratio: 3.2),
                segment(1.7, 1.8, "   ", noSpeech: 0.1, logprob: -0.5, ratio: 1.0),
                segment(1.8, 2.0, " Goodbye.", noSpeech: 0.1, logprob: -0.2, ratio: 1.0),
            ]))
        }) { base, _ in
            let result = try await client(base).transcribe(audio: wav.audio, call: call())
            #expect(result.segments.map(\.text) == ["Yes, I can see the order.", "Okay.", "Goodbye."])
            #expect(result.text == "Yes, I can see the order. Okay. Goodbye.")
            #expect(result.segments.allSatisfy { $0.role == .unknown })
        }
    }

    @Test func longAudioIsStreamedFromDisk() async throws {
        // 3 minutes of 16 kHz mono PCM: ~5.8 MB in one streamed upload. The local helper: no key, no language.
        let wav = try TestWAV(seconds: 180)
        #expect(wav.bytes.count > 5_000_000)
        let expectation = UploadExpectation(file: wav.bytes, language: nil, authorization: nil)
        try await withFakeOpenAI(expecting: expectation, reply: { upload in
            .json(verboseJSON(duration: 180.0, language: "english", segments: [
                segment(0.0, 90.0, " First half, \(upload.file?.bytes.count ?? 0) bytes received.", noSpeech: 0.01, logprob: -0.2, ratio: 1.5),
                segment(90.0, 180.0, " Second half.", noSpeech: 0.01, logprob: -0.2, ratio: 1.5),
            ]))
        }) { base, log in
            let local = client(base, name: "local", apiKey: nil, timeout: 60)
            let result = try await local.transcribe(audio: wav.audio, call: call(language: "unknown"))
            #expect(result.provider == "local")
            #expect(result.text == "First half, \(wav.bytes.count) bytes received. Second half.")
            #expect(result.language == "en") // reported "english", normalised
            #expect(result.audioDurationSeconds == 180.0)
            let uploads = log.uploads
            try #require(uploads.count == 1)
            #expect(uploads[0].problems.isEmpty, "\(uploads[0].problems)")
            #expect(uploads[0].file?.bytes.count == wav.bytes.count)
            #expect(uploads[0].file?.bytes == wav.bytes)
            #expect(uploads[0].fields["language"] == nil)
            #expect(uploads[0].authorization == nil)
        }
    }

    // MARK: HTTP errors

    @Test func rateLimitIsTransientWithRetryAfter() async throws {
        let wav = try TestWAV(seconds: 1)
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            FakeReply(status: 429, headers: [("Retry-After", "7")], body: openAIError(
                "Rate limit reached for whisper-1 on requests per min (RPM): Limit 50, Used 50.", type: "requests", code: "rate_limit_exceeded"))
        }) { base, _ in
            let error = await #expect(throws: StageError.self) {
                try await client(base).transcribe(audio: wav.audio, call: call())
            }
            #expect(error?.kind == .transient)
            #expect(error?.code == "stt_rate_limited")
            #expect(error?.retryAfterSeconds == 7)
            #expect(error?.message.contains("Rate limit reached") == true)
        }
    }

    @Test func serverErrorIsTransient() async throws {
        let wav = try TestWAV(seconds: 1)
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            FakeReply(status: 500, body: openAIError("The server had an error while processing your request.", type: "server_error", code: nil))
        }) { base, _ in
            let error = await #expect(throws: StageError.self) {
                try await client(base).transcribe(audio: wav.audio, call: call())
            }
            #expect(error?.kind == .transient)
            #expect(error?.code == "stt_http_500")
            #expect(error?.message.contains("server had an error") == true)
        }
    }

    @Test func unauthorizedIsPermanentAndNeverShowsTheKey() async throws {
        let wav = try TestWAV(seconds: 1)
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { upload in
            // OpenAI quotes the key it was given.
            let key = upload.authorization?.replacingOccurrences(of: "Bearer ", with: "") ?? ""
            return FakeReply(status: 401, body: openAIError(
                "Incorrect API key provided: \(key). You can find your API key at https://platform.openai.com/account/api-keys.",
                type: "invalid_request_error", code: "invalid_api_key"))
        }) { base, _ in
            let client = client(base)
            let error = await #expect(throws: StageError.self) {
                try await client.transcribe(audio: wav.audio, call: call())
            }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_auth_failed")
            let description = String(describing: error)
            #expect(!description.contains(Self.apiKey))
            #expect(!description.contains("SECRET"))
            #expect(error?.message.contains(Self.apiKey) == false)
            #expect(!String(describing: client).contains(Self.apiKey))
            #expect(!String(reflecting: client).contains(Self.apiKey))
        }
    }

    @Test func otherClientErrorIsPermanentWithTruncatedProviderMessage() async throws {
        let wav = try TestWAV(seconds: 1)
        let longMessage = "Invalid file format. Supported formats: flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm. "
            + String(repeating: "x", count: 1000)
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            FakeReply(status: 400, body: openAIError(longMessage, type: "invalid_request_error", code: nil))
        }) { base, _ in
            let error = await #expect(throws: StageError.self) {
                try await client(base).transcribe(audio: wav.audio, call: call())
            }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_http_400")
            #expect(error?.message.contains("Invalid file format.") == true)
            #expect((error?.message.count ?? 0) < 400)
        }
    }

    // MARK: Bad replies

    @Test func malformedJSONIsTransientBadResponse() async throws {
        let wav = try TestWAV(seconds: 1)
        let replies = Counter()
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            switch replies.next() {
            case 0: return FakeReply(status: 200, body: "{\"text\": \"Hello\", \"segments\": [")
            case 1: return .json("{\"text\": \"Hello there\"}") // json/text format: no segments
            default: return FakeReply(status: 200, headers: [("Content-Type", "text/html")], body: "<html>gateway</html>")
            }
        }) { base, _ in
            for attempt in 0..<3 {
                let error = await #expect(throws: StageError.self) {
                    try await client(base).transcribe(audio: wav.audio, call: call())
                }
                #expect(error?.kind == .transient, "attempt \(attempt)")
                #expect(error?.code == "stt_bad_response", "attempt \(attempt)")
                if attempt == 1 { #expect(error?.message.contains("segments") == true) }
            }
        }
    }

    @Test func whisperCppErrorWithStatus200IsAnError() async throws {
        let wav = try TestWAV(seconds: 1)
        let replies = Counter()
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            switch replies.next() {
            case 0: return .json("{\"error\": \"failed to read WAV file\"}")
            default: return .json(openAIError("Unsupported language: xx", type: "invalid_request_error", code: nil))
            }
        }) { base, _ in
            let bare = await #expect(throws: StageError.self) {
                try await client(base).transcribe(audio: wav.audio, call: call())
            }
            #expect(bare?.kind == .transient) // unclassifiable: a retry may help
            #expect(bare?.code == "stt_provider_error")
            #expect(bare?.message.contains("failed to read WAV file") == true)

            let typed = await #expect(throws: StageError.self) {
                try await client(base).transcribe(audio: wav.audio, call: call())
            }
            #expect(typed?.kind == .permanent)
            #expect(typed?.message.contains("Unsupported language") == true)
        }
    }

    // MARK: Local checks and transport

    @Test func fileOverUploadCapIsRefusedWithoutARequest() async throws {
        let wav = try TestWAV(seconds: 2)
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            .json(verboseJSON(duration: 2, segments: []))
        }) { base, log in
            let error = await #expect(throws: StageError.self) {
                try await client(base, maxUploadBytes: 10_000).transcribe(audio: wav.audio, call: call())
            }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_upload_too_large")
            #expect(error?.message.contains("10000") == true)
            #expect(log.requestCount == 0)
        }
    }

    @Test func stalledServerTimesOutTransiently() async throws {
        let wav = try TestWAV(seconds: 1)
        try await withFakeOpenAI(expecting: .init(file: wav.bytes, language: "en", authorization: "Bearer \(Self.apiKey)"), reply: { _ in
            try await Task.sleep(for: .seconds(5))
            return .json(verboseJSON(duration: 1, segments: []))
        }) { base, _ in
            let start = ContinuousClock.now
            let error = await #expect(throws: StageError.self) {
                try await client(base, timeout: 1).transcribe(audio: wav.audio, call: call())
            }
            #expect(error?.kind == .transient)
            #expect(error?.code == "stt_timeout")
            #expect(ContinuousClock.now - start < .seconds(4))
        }
    }

    @Test func connectionRefusedIsTransient() async throws {
        let wav = try TestWAV(seconds: 1)
        let error = await #expect(throws: StageError.self) {
            try await client("http://127.0.0.1:1", timeout: 5).transcribe(audio: wav.audio, call: call())
        }
        #expect(error?.kind == .transient)
        #expect(error?.code == "stt_unavailable")
    }

    @Test func missingRecordingIsPermanent() async throws {
        let audio = AudioFile(path: TestDaemon.temporaryDirectory() + "/gone.wav", sampleRate: 16000, channels: 1, bitsPerSample: 16, durationSeconds: 1)
        let error = await #expect(throws: StageError.self) {
            try await client("http://127.0.0.1:1").transcribe(audio: audio, call: call())
        }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "stt_audio_unreadable")
    }

    @Test func languageMapping() {
        #expect(TranscriptionLanguage.iso639_1(from: "en-IN") == "en")
        #expect(TranscriptionLanguage.iso639_1(from: "hi_IN") == "hi")
        #expect(TranscriptionLanguage.iso639_1(from: "TA") == "ta")
        #expect(TranscriptionLanguage.iso639_1(from: "hin") == "hi")
        #expect(TranscriptionLanguage.iso639_1(from: "unknown") == nil)
        #expect(TranscriptionLanguage.iso639_1(from: "") == nil)
        #expect(TranscriptionLanguage.iso639_1(from: "auto") == nil)
        #expect(TranscriptionLanguage.normalizeReported("english") == "en")
    }

    @Test func endpointToleratesTrailingSlashAndV1() {
        for base in ["https://api.openai.com", "https://api.openai.com/", "https://api.openai.com/v1", "https://api.openai.com/v1/"] {
            #expect(client(base).endpoint == "https://api.openai.com/v1/audio/transcriptions", "\(base)")
        }
    }
}

// MARK: - OpenAI reply shapes

private func segment(_ start: Double, _ end: Double, _ text: String, noSpeech: Double, logprob: Double, ratio: Double) -> [String: Any] {
    ["id": 0, "seek": 0, "start": start, "end": end, "text": text, "tokens": [50364, 50414], "temperature": 0.0,
     "avg_logprob": logprob, "compression_ratio": ratio, "no_speech_prob": noSpeech]
}

private func verboseJSON(duration: Double, language: String = "english", segments: [[String: Any]]) -> String {
    var numbered = segments
    for index in numbered.indices { numbered[index]["id"] = index }
    let text = segments.compactMap { $0["text"] as? String }.joined()
    let object: [String: Any] = ["task": "transcribe", "language": language, "duration": duration, "text": text, "segments": numbered]
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

private func openAIError(_ message: String, type: String, code: String?) -> String {
    let object: [String: Any] = ["error": ["message": message, "type": type, "param": NSNull(), "code": code.map { $0 as Any } ?? NSNull()]]
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

// MARK: - Fake server

/// What the fake checks every upload against; mismatches are answered with an OpenAI-style 400.
private struct UploadExpectation: Sendable {
    var file: [UInt8]
    /// Expected `language` field, nil = must be absent.
    var language: String?
    /// Expected `Authorization` header, nil = must be absent.
    var authorization: String?
    var model = "whisper-1"
}

/// One parsed upload as the fake received it.
private struct ReceivedUpload: Sendable {
    struct FilePart: Sendable {
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    var authorization: String?
    var contentType: String?
    var fields: [String: String] = [:]
    /// Every `timestamp_granularities[]` value, in order.
    var granularities: [String] = []
    var file: FilePart?
    /// Differences from the expectation (empty when the upload is as expected).
    var problems: [String] = []
}

private final class UploadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [ReceivedUpload] = []

    func append(_ upload: ReceivedUpload) { lock.withLock { received.append(upload) } }
    var uploads: [ReceivedUpload] { lock.withLock { received } }
    var requestCount: Int { lock.withLock { received.count } }
}


/// Runs a fake `POST /v1/audio/transcriptions` on an ephemeral 127.0.0.1 port while `body` runs with its base URL.
private func withFakeOpenAI(
    expecting expectation: UploadExpectation,
    reply: @escaping @Sendable (ReceivedUpload) async throws -> FakeReply,
    _ body: @Sendable (String, UploadLog) async throws -> Void
) async throws {
    let log = UploadLog()
    let router = Router()
    router.post("v1/audio/transcriptions") { request, _ -> Response in
        var request = request
        let received = try await request.collectBody(upTo: 64 << 20)
        var upload = ReceivedUpload(
            authorization: request.headers[.authorization], contentType: request.headers[.contentType])
        do {
            let parts = try parseMultipart(Data(received.readableBytesView), contentType: upload.contentType ?? "")
            for part in parts {
                if part.filename != nil || part.name == "file" {
                    upload.file = .init(filename: part.filename, contentType: part.contentType, bytes: [UInt8](part.body))
                } else {
                    upload.fields[part.name] = String(decoding: part.body, as: UTF8.self)
                    if part.name == "timestamp_granularities[]" { upload.granularities.append(String(decoding: part.body, as: UTF8.self)) }
                }
            }
        } catch {
            upload.problems.append("multipart: \(error)")
        }
        upload.problems += check(upload, against: expectation)
        log.append(upload)

        if !upload.problems.isEmpty {
            let message = "fake server: " + upload.problems.joined(separator: "; ")
            return response(FakeReply(status: 400, body: openAIError(message, type: "invalid_request_error", code: nil)))
        }
        return response(try await reply(upload))
    }

    try await withLoopbackServer(router) { base in try await body(base, log) }
}

/// Compares an upload with what the OpenAI API requires of it.
private func check(_ upload: ReceivedUpload, against expectation: UploadExpectation) -> [String] {
    var problems: [String] = []
    if upload.authorization != expectation.authorization {
        problems.append("authorization \(upload.authorization == nil ? "missing" : "unexpected")")
    }
    if upload.contentType?.hasPrefix("multipart/form-data") != true {
        problems.append("content type \(upload.contentType ?? "missing")")
    }
    if let file = upload.file {
        if file.bytes != expectation.file {
            problems.append("file part differs: \(file.bytes.count) bytes received, \(expectation.file.count) expected")
        }
        if file.filename?.hasSuffix(".wav") != true { problems.append("file name \(file.filename ?? "missing")") }
    } else {
        problems.append("no file part")
    }
    if upload.fields["model"] != expectation.model { problems.append("model \(upload.fields["model"] ?? "missing")") }
    if upload.fields["language"] != expectation.language { problems.append("language \(upload.fields["language"] ?? "missing")") }
    if upload.fields["response_format"] != "verbose_json" { problems.append("response_format \(upload.fields["response_format"] ?? "missing")") }
    if upload.granularities != ["segment", "word"] { problems.append("timestamp_granularities[] \(upload.granularities)") }
    return problems
}

