import Foundation
import Hummingbird
import PCAACore
import PCAAPipeline
import PCAASpeech
import PCAASTT
import Testing

/// `DeepgramClient` against a fake `/v1/listen` on 127.0.0.1 that checks the raw audio body and the query, and
/// answers in Deepgram's pre-recorded shape (channels, alternatives, words, utterances) or its error bodies.
@Suite("Deepgram")
struct DeepgramTests {
    static let key = "dg_TEST_0123456789abcdef0123456789"

    private func client(_ base: String, key: String = Self.key) -> DeepgramClient {
        DeepgramClient(baseURL: base, apiKey: key, model: "nova-3", timeout: 30)
    }

    private func call(direction: String? = "outbound", channelMap: String = "left=agent", firstSpeaker: String = "agent_on_outbound") -> CallContext {
        CallContext(bid: "b1", callid: "c1", direction: direction, language: "en-IN", durationSeconds: 28,
                    channelMap: channelMap, firstSpeaker: firstSpeaker)
    }

    @Test func stereoIsSentOnceAsMultichannelAndChannelsBecomeRoles() async throws {
        let audio = try Fixture.copy("presales_broadband.stereo.wav")
        let fake = FakeDeepgram()
        try await fake.run { base in
            let result = try await client(base).transcribe(audio: audio, call: call())
            let requests = fake.requests
            try #require(requests.count == 1)
            #expect(requests[0].problems.isEmpty, "\(requests[0].problems)")
            #expect(requests[0].query["multichannel"] == "true")
            #expect(requests[0].query["diarize"] == nil)
            #expect(requests[0].query["utterances"] == "true")
            #expect(requests[0].query["model"] == "nova-3")
            #expect(requests[0].query["language"] == "en-IN")
            #expect(requests[0].bytes == (try Data(contentsOf: URL(fileURLWithPath: audio.path))).count)
            #expect(result.segments.map(\.role) == [.agent, .customer, .agent])
            #expect(result.segments.first?.words?.map(\.word) == ["Hello,", "this", "is", "Priya."])
            #expect(result.segments.first?.words?.first?.start == 0.32)
            #expect(result.audioDurationSeconds == 27.8)
        }
        // Direction-aware map: on an inbound call the caller (left) is the customer.
        try await FakeDeepgram().run { base in
            let result = try await client(base).transcribe(audio: audio, call: call(direction: "inbound", channelMap: "left=caller"))
            #expect(result.segments.map(\.role) == [.customer, .agent, .customer])
            let unknown = try await client(base).transcribe(audio: audio, call: call(direction: nil, channelMap: "left=caller"))
            #expect(unknown.segments.allSatisfy { $0.role == .unknown })
        }
    }

    @Test func monoIsDiarizedAndTheFirstSpeakerRuleApplies() async throws {
        let audio = try Fixture.copy("support_card_block.mono.wav")
        let fake = FakeDeepgram()
        try await fake.run { base in
            let outbound = try await client(base).transcribe(audio: audio, call: call())
            #expect(fake.requests.first?.query["diarize"] == "true")
            #expect(fake.requests.first?.query["multichannel"] == nil)
            // Speaker 1 talks first in the fake's answer.
            #expect(outbound.segments.map(\.speakerLabel) == ["speaker_1", "speaker_0", "speaker_1"])
            #expect(outbound.segments.map(\.role) == [.agent, .customer, .agent])
            let inbound = try await client(base).transcribe(audio: audio, call: call(direction: "inbound"))
            #expect(inbound.segments.allSatisfy { $0.role == .unknown })
            let configured = try await client(base).transcribe(audio: audio, call: call(direction: "inbound", firstSpeaker: "agent"))
            #expect(configured.segments.map(\.role) == [.agent, .customer, .agent])
        }
    }

    @Test func longAudioStreamsWhole() async throws {
        let audio = try Fixture.repeated("presales_broadband.stereo.wav", times: 8) // ~3.7 min stereo
        let fake = FakeDeepgram()
        try await fake.run { base in
            _ = try await client(base).transcribe(audio: audio, call: call())
            #expect(fake.requests.first?.bytes == (try Data(contentsOf: URL(fileURLWithPath: audio.path))).count)
            #expect(fake.requests.first?.problems.isEmpty == true)
        }
    }

    @Test func throttlingIsTransientWithRetryAfter() async throws {
        let audio = try Fixture.copy("support_card_block.mono.wav")
        try await FakeDeepgram(failure: .init(status: 429, headers: [("Retry-After", "3")], body: jsonText(
            ["err_code": "TOO_MANY_REQUESTS", "err_msg": "Too many requests. Please try again later.", "request_id": "r1"]))).run { base in
            let error = await #expect(throws: StageError.self) { try await client(base).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "stt_rate_limited")
            #expect(error?.retryAfterSeconds == 3)
            #expect(error?.message.contains("Too many requests") == true)
        }
    }

    @Test func badKeyIsPermanentAndNeverEchoed() async throws {
        let audio = try Fixture.copy("support_card_block.mono.wav")
        let wrong = "dg_WRONG_key_abcdef0123456789"
        try await FakeDeepgram().run { base in
            let error = await #expect(throws: StageError.self) { try await client(base, key: wrong).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_auth_failed")
            #expect(error?.message.contains(wrong) == false)
        }
        #expect(!String(describing: client("http://x", key: wrong)).contains(wrong))
    }

    @Test func badRequestAndMalformedRepliesAreClear() async throws {
        let audio = try Fixture.copy("support_card_block.mono.wav")
        try await FakeDeepgram(failure: .init(status: 400, body: jsonText(
            ["err_code": "Bad Request", "err_msg": "Bad Request: failed to process audio: corrupt or unsupported data", "request_id": "r2"]))).run { base in
            let error = await #expect(throws: StageError.self) { try await client(base).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "stt_http_400")
            #expect(error?.message.contains("corrupt or unsupported") == true)
        }
        try await FakeDeepgram(failure: .init(status: 200, body: #"{"metadata":{"request_id":"r3"},"result":{}}"#)).run { base in
            let error = await #expect(throws: StageError.self) { try await client(base).transcribe(audio: audio, call: call()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "stt_bad_response")
            #expect(error?.message.contains("results") == true)
        }
    }
}

// MARK: - Through the pipeline

extension DeepgramTests {
    /// `stt_provider = "deepgram"` from the config: a 429 is retried by the queue and the call ends notified, with
    /// roles and word timings stored.
    @Test func configuredEngineRetriesThrottlingInThePipeline() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let fake = FakeDeepgram(failure: .init(status: 429, headers: [("Retry-After", "0")], body: jsonText(
            ["err_code": "TOO_MANY_REQUESTS", "err_msg": "Too many requests.", "request_id": "r1"])), failuresBeforeSuccess: 1)
        try await fake.run { base in
            var config = TestDaemon.testConfig()
            config.defaults.sttProvider = "deepgram"
            config.stt.deepgramBaseURL = base
            config.stt.deepgramAPIKey = Self.key
            let providers = ProviderRegistry.builtIn(config: config, localEndpoint: LocalSTTEndpoint())
            let daemon = try await TestDaemon.start(config: config, providers: providers)
            defer { Task { await daemon.stop() } }
            let secret = try await PipelineTests.provisioned(daemon)
            let callid = "dg-1"
            #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: callid, recordingURL: recordings.url(callid)), secret: secret).status == 200)
            #expect(await eventually { (try? await daemon.callState("6004", callid)) == .notified })
            #expect(fake.requests.count == 2)
            let detail = try #require(try await daemon.database.callDetail(bid: "6004", callid: callid))
            let transcript = try #require(try detail.transcript?.result())
            #expect(transcript.provider == "deepgram")
            #expect(transcript.segments.allSatisfy { ($0.words?.count ?? 0) > 0 })
            #expect(Set(transcript.segments.map(\.role)).isSubset(of: [.agent, .customer]))
        }
    }
}

// MARK: - Fake Deepgram

struct DeepgramRequest: Sendable {
    var query: [String: String]
    var bytes: Int
    var problems: [String]
}

/// `/v1/listen` in Deepgram's shapes: a stereo WAV gets a two-channel answer with `channel` on each utterance,
/// a mono one a diarized answer with `speaker`. `failure` answers every request instead.
final class FakeDeepgram: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [DeepgramRequest] = []
    let failure: FakeReply?
    /// How many requests get `failure` before the fake starts answering normally (nil: all of them).
    let failuresBeforeSuccess: Int?

    init(failure: FakeReply? = nil, failuresBeforeSuccess: Int? = nil) {
        self.failure = failure
        self.failuresBeforeSuccess = failuresBeforeSuccess
    }

    var requests: [DeepgramRequest] { lock.withLock { received } }

    static func word(_ text: String, _ start: Double, _ end: Double, speaker: Int? = nil) -> [String: Any] {
        var word: [String: Any] = ["word": text.lowercased().trimmingCharacters(in: .punctuationCharacters), "punctuated_word": text,
                                   "start": start, "end": end, "confidence": 0.97]
        if let speaker { word["speaker"] = speaker; word["speaker_confidence"] = 0.8 }
        return word
    }

    static func utterance(_ text: String, _ start: Double, _ end: Double, channel: Int, speaker: Int?) -> [String: Any] {
        let tokens = text.split(separator: " ").map(String.init)
        let step = (end - start) / Double(tokens.count)
        let words = tokens.enumerated().map { index, token in
            word(token, ((start + Double(index) * step) * 100).rounded() / 100, ((start + Double(index + 1) * step) * 100).rounded() / 100, speaker: speaker)
        }
        var utterance: [String: Any] = ["start": start, "end": end, "confidence": 0.95, "channel": channel, "transcript": text,
                                        "words": words, "id": UUID().uuidString]
        if let speaker { utterance["speaker"] = speaker }
        return utterance
    }

    func run(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        router.post("v1/listen") { request, _ -> Response in
            var request = request
            let received = try await request.collectBody(upTo: 256 << 20)
            let bytes = [UInt8](received.readableBytesView)
            var query: [String: String] = [:]
            for item in (URLComponents(string: "http://x" + request.uri.description)?.queryItems ?? []) { query[item.name] = item.value ?? "" }
            var problems: [String] = []
            if request.headers[.contentType] != "audio/wav" { problems.append("content type \(request.headers[.contentType] ?? "missing")") }
            let channels = (try? WAVInfo.parse(header: Array(bytes.prefix(4096)), fileSize: Int64(bytes.count)))?.channels
            if channels == nil { problems.append("body is not a WAV") }
            let count = self.lock.withLock { self.received.append(DeepgramRequest(query: query, bytes: bytes.count, problems: problems)); return self.received.count }
            guard request.headers[.authorization] == "Token \(DeepgramTests.key)" else {
                return response(FakeReply(status: 401, body: jsonText(["err_code": "INVALID_AUTH", "err_msg": "Invalid credentials.", "request_id": "r0"])))
            }
            if let failure = self.failure, count <= (self.failuresBeforeSuccess ?? .max) { return response(failure) }
            let duration = wavSeconds(bytes) ?? 0
            let stereo = query["multichannel"] == "true"
            let utterances: [[String: Any]] = stereo
                ? [Self.utterance("Hello, this is Priya.", 0.32, 1.9, channel: 0, speaker: nil),
                   Self.utterance("Yes, tell me.", 2.4, 3.1, channel: 1, speaker: nil),
                   Self.utterance("I am calling about broadband.", 3.5, 5.2, channel: 0, speaker: nil)]
                : [Self.utterance("Your card is blocked now.", 4.5, 6.8, channel: 0, speaker: 1),
                   Self.utterance("Good morning, card services.", 0.4, 2.9, channel: 0, speaker: 1),
                   Self.utterance("Please block my card.", 3.1, 4.2, channel: 0, speaker: 0)]
            let channelList = (0..<(stereo ? 2 : 1)).map { channel -> [String: Any] in
                let own = utterances.filter { ($0["channel"] as? Int) == channel }
                return ["alternatives": [["transcript": own.compactMap { $0["transcript"] as? String }.joined(separator: " "),
                                          "confidence": 0.95, "words": own.flatMap { ($0["words"] as? [[String: Any]]) ?? [] }]]]
            }
            return response(.json(jsonText([
                "metadata": ["request_id": "req_fake", "duration": (duration * 1000).rounded() / 1000, "channels": stereo ? 2 : 1,
                             "models": ["model-uuid"]],
                "results": ["channels": channelList, "utterances": utterances],
            ])))
        }
        try await withLoopbackServer(router) { base in try await body(base) }
    }
}
