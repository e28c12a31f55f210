import Foundation
import Hummingbird
import PCAACore
import PCAASpeech
import PCAASTT
import Testing

/// Sarvam's clients against a fake of its REST API on 127.0.0.1: the synchronous `/speech-to-text` (multipart,
/// ~30 s limit enforced) and the batch job API (create, upload URL + blob PUT, start, status polling, download URL).
@Suite("Sarvam")
struct SarvamTests {
    static let key = "sk_sarvam_TEST_0123456789abcdef"

    private func settings(_ base: String, key: String = Self.key, timeout: Double = 30) -> SarvamSettings {
        SarvamSettings(baseURL: base, apiKey: key, model: "saaras:v3", mode: "codemix", timeout: timeout, pollInterval: 0.05)
    }

    private func engine(_ base: String, key: String = Self.key, diarize: Bool = true) -> ChannelAwareTranscriber {
        let sync = ChunkedTranscriber(engine: SarvamSyncClient(settings: settings(base, key: key)), maxChunkSeconds: 28)
        return ChannelAwareTranscriber(channelEngine: sync, monoEngine: diarize ? SarvamBatchClient(settings: settings(base, key: key)) : sync)
    }

    private func call(direction: String? = "outbound", language: String = "hi-IN") -> CallContext {
        CallContext(bid: "b1", callid: "call-7", direction: direction, language: language, durationSeconds: 28)
    }

    @Test func stereoCallIsTranscribedPerChannelWithRoles() async throws {
        let audio = try Fixture.copy("presales_broadband.stereo.wav")
        let fake = FakeSarvam()
        try await fake.run { base in
            let result = try await engine(base).transcribe(audio: audio, call: call())
            #expect(result.provider == "sarvam")
            #expect(result.model == "saaras:v3")
            #expect(result.language == "hi")
            let roles = Set(result.segments.map(\.role))
            #expect(roles == [.agent, .customer])
            #expect(result.segments.filter { $0.speakerLabel == "ch0" }.allSatisfy { $0.role == .agent })
            #expect(result.segments.map(\.start) == result.segments.map(\.start).sorted())
            let requests = fake.syncRequests
            #expect(requests.count == 2) // one ≤ 28 s clip per channel
            for request in requests {
                #expect(request.problems.isEmpty, "\(request.problems)")
                #expect(request.fields["model"] == "saaras:v3")
                #expect(request.fields["mode"] == "codemix")
                #expect(request.fields["language_code"] == "hi-IN")
                #expect(request.fields["with_timestamps"] == "true")
                #expect(request.key == Self.key)
            }
        }
    }

    @Test func longChannelIsCutAtSilencesAndStitched() async throws {
        // Three plays of a 28 s call: 84 s, so at least three synchronous requests, each within the limit.
        let audio = try Fixture.repeated("support_card_block.mono.wav", times: 3)
        let fake = FakeSarvam()
        try await fake.run { base in
            let result = try await engine(base, diarize: false).transcribe(audio: audio, call: call())
            let clips = fake.syncRequests
            #expect(clips.count >= 3)
            #expect(clips.allSatisfy { $0.problems.isEmpty && ($0.seconds ?? 99) <= 28.01 })
            let total = clips.compactMap(\.seconds).reduce(0, +)
            #expect(abs(total - audio.durationSeconds) < 0.1, "chunks cover the call: \(total) of \(audio.durationSeconds)")
            // Every clip's phrases come back on the call's timeline, in order, without overlap between clips.
            #expect(result.segments.count == clips.count * 2)
            #expect(zip(result.segments, result.segments.dropFirst()).allSatisfy { $0.end <= $1.start + 1e-6 })
            #expect(abs((result.segments.last?.end ?? 0) - audio.durationSeconds) < 0.1)
            #expect(result.segments.allSatisfy { $0.role == .unknown }) // no diarization on this path
        }
    }

    @Test func monoCallGoesThroughDiarizedBatchJobAndSpeakersBecomeRoles() async throws {
        let audio = try Fixture.copy("support_card_block.mono.wav")
        let fake = FakeSarvam()
        try await fake.run { base in
            let result = try await engine(base).transcribe(audio: audio, call: call(direction: "outbound"))
            #expect(fake.blobProblems.isEmpty, "\(fake.blobProblems)")
            #expect(fake.jobParameters?["with_diarization"] as? Bool == true)
            #expect(fake.jobParameters?["num_speakers"] as? Int == 2)
            #expect(fake.jobParameters?["language_code"] as? String == "hi-IN")
            #expect(fake.statusPolls >= 2)
            // The prepared 16 kHz mono file went up whole: 2 bytes per sample plus the header.
            #expect(abs(fake.uploadedBytes - Int(audio.durationSeconds * 32_000) - 44) < 64)
            // The fake's first speaker (by time) is "1": the agent on an outbound call.
            #expect(result.segments.map(\.speakerLabel) == ["speaker_1", "speaker_0", "speaker_1"])
            #expect(result.segments.map(\.role) == [.agent, .customer, .agent])
            #expect(result.text == "Namaste, main Priya bol rahi hoon. Haan ji, boliye. Aapka card block ho gaya hai.")
        }
        // Inbound with the default rule: nothing to go on, so unknown rather than a guess.
        let inbound = FakeSarvam()
        try await inbound.run { base in
            let result = try await engine(base).transcribe(audio: try Fixture.copy("support_card_block.mono.wav"), call: call(direction: "inbound"))
            #expect(result.segments.allSatisfy { $0.role == .unknown })
        }
    }

    @Test func failedBatchJobIsAClearError() async throws {
        let fake = FakeSarvam(jobFailure: "Invalid audio format: file could not be decoded")
        try await fake.run { base in
            let error = await #expect(throws: StageError.self) {
                try await engine(base).transcribe(audio: try Fixture.copy("support_card_block.mono.wav"), call: call())
            }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_job_failed")
            #expect(error?.message.contains("could not be decoded") == true)
        }
    }

    @Test func rateLimitIsTransientAndQuotaIsPermanent() async throws {
        let audio = try Fixture.copy("presales_broadband.stereo.wav")
        try await FakeSarvam(syncFailure: .init(status: 429, headers: [("Retry-After", "4")], body: jsonText(
            ["error": ["message": "Rate limit exceeded", "code": "rate_limit_exceeded_error", "request_id": "r1"]]))).run { base in
            let error = await #expect(throws: StageError.self) { try await engine(base).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "stt_rate_limited")
            #expect(error?.retryAfterSeconds == 4)
        }
        try await FakeSarvam(syncFailure: .init(status: 429, body: jsonText(
            ["error": ["message": "Insufficient quota", "code": "insufficient_quota_error", "request_id": "r2"]]))).run { base in
            let error = await #expect(throws: StageError.self) { try await engine(base).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_quota_exhausted")
        }
    }

    @Test func wrongKeyIsPermanentAndNeverEchoed() async throws {
        let audio = try Fixture.copy("presales_broadband.stereo.wav")
        let wrong = "sk_sarvam_WRONG_key_9876543210"
        try await FakeSarvam().run { base in
            let error = await #expect(throws: StageError.self) { try await engine(base, key: wrong).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_auth_failed")
            #expect(error?.message.contains(wrong) == false)
            // The batch path too.
            let batchError = await #expect(throws: StageError.self) {
                try await engine(base, key: wrong).transcribe(audio: try Fixture.copy("support_card_block.mono.wav"), call: call())
            }
            #expect(batchError?.code == "stt_auth_failed")
        }
        #expect(!String(describing: settings("http://x", key: wrong)).contains(wrong))
    }

    @Test func malformedReplyIsAClearTransientError() async throws {
        let audio = try Fixture.copy("presales_broadband.stereo.wav")
        try await FakeSarvam(syncFailure: .init(status: 200, body: #"{"request_id":"r3","transcipt":"typo"}"#)).run { base in
            let error = await #expect(throws: StageError.self) { try await engine(base).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "stt_bad_response")
            #expect(error?.message.contains("transcript") == true)
        }
    }
}

// MARK: - Fake Sarvam

/// One synchronous request as the fake saw it.
struct SarvamSyncRequest: Sendable {
    var key: String?
    var fields: [String: String] = [:]
    var seconds: Double?
    var problems: [String] = []
}

/// Sarvam's API in its documented shapes. `syncFailure` answers every synchronous request; `jobFailure` makes
/// batch jobs end `Failed` with that message.
final class FakeSarvam: @unchecked Sendable {
    private let lock = NSLock()
    private var sync: [SarvamSyncRequest] = []
    private var parameters: [String: Any]?
    private var polls = 0
    private var blobBytes = 0
    private var blobIssues: [String] = []
    let syncFailure: FakeReply?
    let jobFailure: String?

    init(syncFailure: FakeReply? = nil, jobFailure: String? = nil) {
        self.syncFailure = syncFailure
        self.jobFailure = jobFailure
    }

    var syncRequests: [SarvamSyncRequest] { lock.withLock { sync } }
    var jobParameters: [String: Any]? { lock.withLock { parameters } }
    var statusPolls: Int { lock.withLock { polls } }
    var uploadedBytes: Int { lock.withLock { blobBytes } }
    var blobProblems: [String] { lock.withLock { blobIssues } }

    static func error(_ status: Int, _ message: String, _ code: String) -> Response {
        response(FakeReply(status: status, body: jsonText(["error": ["message": message, "code": code, "request_id": "req_fake"]])))
    }

    func run(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        let baseBox = BaseURLBox()
        let authorized: @Sendable (Request) -> Bool = { header($0, "api-subscription-key") == SarvamTests.key }

        router.post("speech-to-text") { request, _ -> Response in
            var request = request
            let received = try await request.collectBody(upTo: 64 << 20)
            var entry = SarvamSyncRequest(key: header(request, "api-subscription-key"))
            do {
                for part in try parseMultipart(Data(received.readableBytesView), contentType: request.headers[.contentType] ?? "") {
                    if part.name == "file" { entry.seconds = wavSeconds([UInt8](part.body)) } else {
                        entry.fields[part.name] = String(decoding: part.body, as: UTF8.self)
                    }
                }
            } catch { entry.problems.append("multipart: \(error)") }
            if entry.seconds == nil { entry.problems.append("no WAV file part") }
            self.lock.withLock { self.sync.append(entry) }
            guard authorized(request) else { return Self.error(403, "Invalid API key provided", "invalid_api_key_error") }
            if let failure = self.syncFailure { return response(failure) }
            guard let seconds = entry.seconds, seconds <= 30.5 else {
                return Self.error(400, "Audio duration exceeds the maximum of 30 seconds", "invalid_request_error")
            }
            let index = self.lock.withLock { self.sync.count }
            let half = (seconds / 2 * 1000).rounded() / 1000
            return response(.json(jsonText([
                "request_id": "req_\(index)", "transcript": "clip \(index) start clip \(index) end", "language_code": "hi-IN",
                "timestamps": ["words": ["clip \(index) start", "clip \(index) end"],
                               "start_time_seconds": [0.0, half], "end_time_seconds": [half, seconds]],
            ])))
        }
        router.post("speech-to-text/job/v1") { request, _ -> Response in
            guard authorized(request) else { return Self.error(403, "Invalid API key provided", "invalid_api_key_error") }
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            self.lock.withLock { self.parameters = object?["job_parameters"] as? [String: Any] }
            return response(FakeReply(status: 202, body: jsonText(["job_id": "job_42", "job_state": "Accepted"])))
        }
        router.post("speech-to-text/job/v1/upload-files") { request, _ -> Response in
            guard authorized(request) else { return Self.error(403, "Invalid API key provided", "invalid_api_key_error") }
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            let name = (object?["files"] as? [String])?.first ?? "missing"
            return response(.json(jsonText(["job_id": "job_42", "upload_urls": [name: ["file_url": baseBox.base + "/blob/in/\(name)?sig=abc"]]])))
        }
        router.put("blob/in/:name") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 20)
            self.lock.withLock {
                self.blobBytes = body.readableBytes
                if header(request, "x-ms-blob-type") != "BlockBlob" { self.blobIssues.append("x-ms-blob-type missing") }
                if header(request, "api-subscription-key") != nil { self.blobIssues.append("subscription key sent to the blob store") }
                if wavSeconds([UInt8](body.readableBytesView)) == nil { self.blobIssues.append("blob is not a WAV") }
            }
            return Response(status: .created)
        }
        router.post("speech-to-text/job/v1/:job/start") { request, context -> Response in
            guard authorized(request) else { return Self.error(403, "Invalid API key provided", "invalid_api_key_error") }
            return response(.json(jsonText(["job_id": context.parameters.get("job") ?? "", "job_state": "Running"])))
        }
        router.get("speech-to-text/job/v1/:job/status") { request, _ -> Response in
            guard authorized(request) else { return Self.error(403, "Invalid API key provided", "invalid_api_key_error") }
            let poll = self.lock.withLock { self.polls += 1; return self.polls }
            if poll < 2 { return response(.json(jsonText(["job_id": "job_42", "job_state": "Running"]))) }
            if let failure = self.jobFailure {
                return response(.json(jsonText(["job_id": "job_42", "job_state": "Failed", "error_message": failure,
                                                "job_details": [["state": "Failed", "error_message": failure]]])))
            }
            return response(.json(jsonText(["job_id": "job_42", "job_state": "Completed",
                                            "job_details": [["state": "Success", "inputs": [["file_name": "call-7.wav"]],
                                                             "outputs": [["file_name": "call-7.json"]]]]])))
        }
        router.post("speech-to-text/job/v1/download-files") { request, _ -> Response in
            guard authorized(request) else { return Self.error(403, "Invalid API key provided", "invalid_api_key_error") }
            return response(.json(jsonText(["job_id": "job_42", "download_urls": ["call-7.json": ["file_url": baseBox.base + "/blob/out/call-7.json?sig=def"]]])))
        }
        router.get("blob/out/:name") { _, _ -> Response in
            // Entries deliberately out of order; speaker "1" talks first.
            response(.json(jsonText([
                "request_id": "job_42", "language_code": "hi-IN",
                "transcript": "Namaste, main Priya bol rahi hoon. Haan ji, boliye. Aapka card block ho gaya hai.",
                "diarized_transcript": ["entries": [
                    ["transcript": "Haan ji, boliye.", "start_time_seconds": 3.1, "end_time_seconds": 4.0, "speaker_id": "0"],
                    ["transcript": "Namaste, main Priya bol rahi hoon.", "start_time_seconds": 0.4, "end_time_seconds": 2.9, "speaker_id": "1"],
                    ["transcript": "Aapka card block ho gaya hai.", "start_time_seconds": 4.5, "end_time_seconds": 6.8, "speaker_id": "1"],
                ]],
            ])))
        }
        try await withLoopbackServer(router) { base in
            baseBox.base = base
            try await body(base)
        }
    }
}

/// The fake's own base URL, known only once the server listens.
final class BaseURLBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    var base: String {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
