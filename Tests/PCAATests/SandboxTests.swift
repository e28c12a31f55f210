import Foundation
import Hummingbird
import PCAACore
import PCAANet
import PCAASandbox
import PCAASpeech
import Logging
import Synchronization
import Testing

/// Unit tests of the Mcube sandbox parts that need no daemon: the recording server, the call plan, the report,
/// and a whole run against a scripted fake daemon (retries, refusals, a lost call).
// Hummingbird re-exports HTTPTypes.HTTPRequest, so PCAANet's request type is qualified below.
@Suite("Sandbox")
struct SandboxTests {
    // MARK: Recording server

    @Test func recordingServerServesValidWAVs() async throws {
        let mono = "17732126200000000010"
        let stereo = "17732126200000000011"
        let server = RecordingServer(knownNames: [mono, stereo])
        try await server.withRunning { base in
            let client = CurlHTTPClient(userAgent: "pcaa-tests")
            for (name, channels) in [(mono, 1), (stereo, 2)] {
                let response = try await client.send(PCAANet.HTTPRequest(url: "\(base)/recordings/\(name).wav"))
                #expect(response.status == 200)
                #expect(response.header("content-type") == "audio/wav")
                #expect(response.body == SyntheticRecording.wav(named: name), "deterministic per name")

                let info = try WAVInfo.parse(header: Array(response.body.prefix(64)), fileSize: Int64(response.body.count))
                #expect(info.format == 1)
                #expect(info.bitsPerSample == 16)
                #expect(info.sampleRate == 8_000)
                #expect(info.channels == channels)
                #expect(info.dataOffset == 44)
                #expect(info.dataBytes == Int64(response.body.count - 44))
                #expect(info.durationSeconds >= 3 && info.durationSeconds <= 12)

                let path = NSTemporaryDirectory() + "pcaa-sandbox-\(UUID().uuidString).wav"
                try Data(response.body).write(to: URL(fileURLWithPath: path))
                defer { try? FileManager.default.removeItem(atPath: path) }
                #expect(try WAVInfo.read(path: path) == info)

                // Real audio: loud enough, and not one constant tone.
                let samples = stride(from: 44, to: response.body.count - 1, by: 2).map {
                    Double(Int16(bitPattern: UInt16(response.body[$0]) | UInt16(response.body[$0 + 1]) << 8))
                }
                let rms = (samples.map { $0 * $0 }.reduce(0, +) / Double(samples.count)).squareRoot()
                #expect(rms > 300)
                #expect(Set(samples.prefix(8_000)).count > 500)
            }

            for path in ["/recordings/99999999999999999999.wav", "/recordings/\(mono).mp3", "/recordings/\(mono)", "/other"] {
                let response = try await client.send(PCAANet.HTTPRequest(url: base + path))
                #expect(response.status == 404, "\(path)")
            }
        }
    }

    @Test func recordingDurationsAndChannelsVary() {
        var durations = Set<Int>()
        for index in 0..<20 {
            let name = "1773212620\(1_000_000_000 + index)"
            let wav = SyntheticRecording.wav(named: name)
            let info = try? WAVInfo.parse(header: wav, fileSize: Int64(wav.count))
            #expect(info?.channels == (index % 2 == 0 ? 1 : 2))
            if let info {
                #expect((3...12).contains(info.durationSeconds))
                durations.insert(Int(info.durationSeconds))
            }
        }
        #expect(durations.count >= 4)
    }

    // MARK: Call plan

    @Test func planMixForSeed() throws {
        let bids = try CallPlan.bidNames(prefix: "sbx", tag: "t3st", count: 5)
        #expect(bids == ["sbxt3st-1", "sbxt3st-2", "sbxt3st-3", "sbxt3st-4", "sbxt3st-5"])
        let plan = CallPlan.make(bids: bids, count: 100, seed: 42, callIDEpoch: 1_773_212_620)
        #expect(plan.calls.count == 100)
        let counts = Dictionary(grouping: plan.calls, by: \.kind).mapValues(\.count)
        #expect(counts == [.eligible: 70, .notAnswered: 10, .tooShort: 10, .duplicate: 10])

        #expect(Set(plan.calls.map(\.callid)).count == 100)
        #expect(plan.callids.count == 100)
        for call in plan.calls {
            #expect(call.callid.count == 20 && call.callid.allSatisfy(\.isNumber), "\(call.callid)")
            #expect(call.callid.hasPrefix("1773212620"))
            #expect(SafeIdentifier.isValidBID(call.bid))
            #expect(SafeIdentifier.isValidCallID(call.callid))
            switch call.kind {
            case .notAnswered:
                #expect(["NOANSWER", "BUSY"].contains(call.callStatus))
                #expect(call.expectedStatus == "skipped")
            case .tooShort:
                #expect(call.callStatus == "ANSWER" && call.durationSeconds == 3)
                #expect(call.expectedStatus == "skipped")
            case .eligible, .duplicate:
                #expect(call.callStatus == "ANSWER" && (20...600).contains(call.durationSeconds))
                #expect(call.expectedStatus == "queued")
            }
            #expect(call.postsTwice == (call.kind == .duplicate))
        }
        #expect(Set(plan.calls.map(\.callStatus)) == ["ANSWER", "NOANSWER", "BUSY"])
        #expect(Set(plan.calls.map(\.direction)) == ["inbound", "outbound"])
        let perBID = Dictionary(grouping: plan.calls, by: \.bid).mapValues(\.count)
        #expect(perBID == Dictionary(uniqueKeysWithValues: bids.map { ($0, 20) }))

        // Same seed, same plan; another seed shuffles differently.
        let again = CallPlan.make(bids: bids, count: 100, seed: 42, callIDEpoch: 1_773_212_620)
        #expect(again.calls == plan.calls)
        let other = CallPlan.make(bids: bids, count: 100, seed: 7, callIDEpoch: 1_773_212_620)
        #expect(other.calls.map(\.kind) != plan.calls.map(\.kind))
        // Another run second, other call ids.
        let later = CallPlan.make(bids: bids, count: 100, seed: 42, callIDEpoch: 1_773_212_621)
        #expect(plan.callids.isDisjoint(with: later.callids))
    }

    @Test func smallPlansStillMixKinds() throws {
        let five = CallPlan.make(bids: ["b1"], count: 5, seed: 1, callIDEpoch: 1_773_212_620)
        #expect(Dictionary(grouping: five.calls, by: \.kind).mapValues(\.count)
            == [.eligible: 2, .notAnswered: 1, .tooShort: 1, .duplicate: 1])
        #expect(CallPlan.make(bids: ["b1"], count: 0, seed: 1, callIDEpoch: 1).calls.isEmpty)
    }

    @Test func planBodiesPassTheDaemonsValidation() throws {
        let plan = CallPlan.make(bids: ["sbx1", "sbx2"], count: 40, seed: 3, callIDEpoch: 1_773_212_620)
        let now = Date()
        for call in plan.calls {
            let body = call.body(recordingBaseURL: "http://127.0.0.1:4711", now: now)
            #expect(body == call.body(recordingBaseURL: "http://127.0.0.1:4711", now: now))
            let event = try CallCompletedEvent.validate(try StrictJSON.parse(body))
            #expect(event.bid == call.bid && event.callid == call.callid)
            #expect(event.durationSeconds == call.durationSeconds)
            #expect(event.callStatus == call.callStatus)
            #expect(event.recordingURL == "http://127.0.0.1:4711/recordings/\(call.callid).wav")
            #expect(event.agentEmail == "agent\(call.agent)@example.com")
            #expect(event.agentPhone?.hasPrefix("98765") == true && event.agentPhone?.count == 10)
            #expect(event.customerPhone?.hasPrefix("91") == true && event.customerPhone?.count == 10)
            #expect(event.groupName == "Team A")
            if let start = event.callStartTime, let end = event.callEndTime {
                #expect(abs(end.timeIntervalSince(start) - Double(call.durationSeconds)) < 0.01)
                #expect(end < now)
            } else {
                Issue.record("call times missing")
            }
        }
    }

    @Test func bidNamesAreValidatedAndTagged() throws {
        #expect(try CallPlan.bidNames(prefix: "acme", tag: "", count: 2) == ["acme1", "acme2"])
        #expect(throws: SandboxError.self) { try CallPlan.bidNames(prefix: "bad prefix", tag: "", count: 1) }
        #expect(throws: SandboxError.self) { try CallPlan.bidNames(prefix: "_x", tag: "", count: 1) }
        #expect(throws: SandboxError.self) { try CallPlan.bidNames(prefix: String(repeating: "a", count: 31), tag: "", count: 10) }
        #expect(throws: SandboxError.self) { try CallPlan.bidNames(prefix: "sbx", tag: "", count: 0) }
        let tags = Set((0..<20).map { _ in CallPlan.randomRunTag() })
        #expect(tags.count > 15)
        for tag in tags {
            #expect(tag.count == 4)
            #expect(SafeIdentifier.isValidBID("sbx\(tag)-1"))
        }
    }

    @Test func retryPolicyDelays() {
        let policy = McubeRetryPolicy()
        #expect(policy.maxAttempts == 3)
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil) == 0.5)
        #expect(policy.delay(afterAttempt: 2, retryAfter: nil) == 1.0)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "2") == 2)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "3600") == 30)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT") == 0.5)
        #expect(McubeRetryPolicy.isRetryable(status: 429))
        #expect(McubeRetryPolicy.isRetryable(status: 503))
        #expect(!McubeRetryPolicy.isRetryable(status: 401))
        #expect(!McubeRetryPolicy.isRetryable(status: 403))
        #expect(!McubeRetryPolicy.isRetryable(status: 200))
    }

    // MARK: Whole run against a fake daemon

    @Test func runRetriesLikeMcubeAndReportsLostCalls() async throws {
        let daemon = FakeDaemon()
        try await daemon.withRunning { base in
            let options = SandboxOptions(
                target: base + "/", bids: 2, calls: 10, ratePerSecond: 0, timeoutSeconds: 2, platformSecret: FakeDaemon.platformSecret,
                seed: 5, concurrency: 1, bidPrefix: "fake", runTag: "", opsToken: FakeDaemon.opsToken)
            let lines = LogLines()
            let report = try await SandboxRun(options: options, log: { lines.append($0) }).run()
            let calls = report.calls
            #expect(calls.count == 10)
            #expect(report.rows.map(\.bid) == ["fake1", "fake2"])

            // 1st call: 503 twice, then accepted on the 3rd attempt; 2nd: 429 + Retry-After, accepted on the 2nd.
            #expect(calls[0].delivery.attempts == 3 && calls[0].delivery.isAcknowledged)
            #expect(calls[1].delivery.attempts == 2 && calls[1].delivery.isAcknowledged)
            #expect(calls[1].delivery.acknowledgedAt.map { $0.timeIntervalSince(calls[0].delivery.acknowledgedAt!) >= 0.9 } == true)
            // 3rd: 400 is final, after one attempt.
            #expect(calls[2].delivery.attempts == 1 && !calls[2].delivery.isAcknowledged && calls[2].delivery.httpStatus == 400)
            #expect(calls[2].verification == nil)
            // 4th: acknowledged but never stored, so missing; the run fails.
            #expect(calls[3].verification == .missing)
            #expect(!report.passed)
            #expect(report.total.unacknowledged == 1)
            #expect(report.total.missing == 1)
            #expect(report.problems.contains { $0.contains("never acknowledged: HTTP 400 after 1 attempt") })
            #expect(report.problems.contains { $0.contains("missing (404)") })
            #expect(report.problems.contains { $0.contains("not settled") })

            // Every other call got the answer its kind expects and ended where the fake put it.
            for call in calls[4...] {
                #expect(call.delivery.answer == call.call.expectedStatus, "\(call.call.kind)")
                #expect(call.verification?.state == (call.call.expectedStatus == "skipped" ? "skipped" : "notified"))
                if call.call.postsTwice { #expect(call.repeatDelivery?.answer == "duplicate") }
            }
            let activations = await daemon.activations
            #expect(activations == ["fake1", "fake2"])
            let log = lines.all.joined(separator: "\n")
            #expect(log.contains("activated 2 BIDs"))
            #expect(log.contains("posted 10/10 calls"))
        }
    }

    @Test func runStopsWhenActivationIsRefused() async throws {
        let daemon = FakeDaemon()
        try await daemon.withRunning { base in
            let options = SandboxOptions(target: base, bids: 1, calls: 3, platformSecret: "wrong-secret", runTag: "")
            let error = await #expect(throws: SandboxError.self) { try await SandboxRun(options: options).run() }
            #expect(error == .activationFailed(bid: "sbx1", reason: #"HTTP 401 after 1 attempt: {"error":"bad signature"}"#))
        }
        let invalid = SandboxOptions(target: "ftp://x", platformSecret: "s")
        await #expect(throws: SandboxError.self) { try await SandboxRun(options: invalid).run() }
    }

    // MARK: Report

    @Test func percentilesUseNearestRank() {
        #expect(SandboxReport.percentile([], 50) == nil)
        #expect(SandboxReport.percentile([7], 95) == 7)
        let values = (1...20).map(Double.init).shuffled()
        #expect(SandboxReport.percentile(values, 50) == 10)
        #expect(SandboxReport.percentile(values, 95) == 19)
        #expect(SandboxReport.percentile(values, 100) == 20)
        #expect(SandboxReport.percentile([1, 2, 3, 4], 50) == 2)
        #expect(SandboxReport.percentile([1, 2, 3, 4], 95) == 4)
    }

    @Test func reportSummarisesTheRunAndFailsOnAnUnacknowledgedWebhook() {
        var calls = sampleCalls()
        let report = SandboxReport(bids: ["sbx1", "sbx2"], calls: calls)
        #expect(!report.passed, "a webhook that never got a 2xx fails the run")
        #expect(report.rows.map(\.bid) == ["sbx1", "sbx2"])
        #expect(report.total.sent == 5)
        #expect(report.total.queued == 3)
        #expect(report.total.skipped == 1)
        #expect(report.total.duplicates == 1)
        #expect(report.total.unacknowledged == 1)
        #expect(report.total.states == ["notified": 1, "failed_stt": 2, "skipped": 1])
        #expect(report.total.endToEndSeconds.sorted() == [4, 8, 30])
        #expect(report.total.p50 == 8)
        #expect(report.total.p95 == 30)
        #expect(report.rows[0].sent == 3 && report.rows[1].sent == 2)
        #expect(report.stateColumns == ["notified", "skipped", "failed_stt"])
        // The unacknowledged webhook is the only problem; failed_stt is terminal.
        #expect(report.problems.count == 1)
        #expect(report.problems[0].contains("never acknowledged"))
        #expect(report.notes == ["2 × failed_stt: no speech engine"])

        let table = report.table()
        #expect(table.contains("failed_stt"))
        #expect(table.contains("sbx1"))
        #expect(table.contains("total"))
        #expect(table.contains("FAILED") && table.contains("1 never acknowledged"))
        let acknowledged = calls.filter { $0.delivery.isAcknowledged }
        #expect(SandboxReport(bids: ["sbx1", "sbx2"], calls: acknowledged).passed, "every acknowledged call is terminal")
        #expect(SandboxReport(bids: ["sbx1", "sbx2"], calls: acknowledged).table().contains("PASSED"))
        let lines = table.split(separator: "\n")
        #expect(lines[0].contains("webhook answers") && lines[0].contains("final state"))
        #expect(lines[1].hasPrefix("BID"))
        #expect(lines[3].hasPrefix("sbx1") && lines[4].hasPrefix("sbx2") && lines[6].hasPrefix("total"))
        #expect(Set(lines[1...6].map(\.count)).count == 1, "aligned columns")

        // An acknowledged call that is missing fails the run.
        calls[0].verification = .missing
        let missing = SandboxReport(bids: ["sbx1", "sbx2"], calls: calls)
        #expect(!missing.passed)
        #expect(missing.total.missing == 1)
        #expect(missing.problems.contains { $0.contains("missing (404)") })
        #expect(missing.table().contains("FAILED"))

        // So does one still in flight, or one that could not be read.
        calls[0].verification = .found(state: "transcribing", endToEndSeconds: nil, lastError: nil)
        let inFlight = SandboxReport(bids: ["sbx1", "sbx2"], calls: calls)
        #expect(!inFlight.passed)
        #expect(inFlight.total.notTerminal == 1)
        #expect(inFlight.stateColumns.contains("transcribing"))
        calls[0].verification = .unverifiable("HTTP 500")
        #expect(!SandboxReport(bids: ["sbx1", "sbx2"], calls: calls).passed)
    }

    @Test func reportFlagsUnexpectedAnswers() {
        var calls = sampleCalls()
        calls[3].delivery.answer = "queued" // a too-short call expected skipped
        calls[3].verification = .found(state: "failed_stt", endToEndSeconds: 2, lastError: "no speech engine")
        calls[1].repeatDelivery?.answer = "queued"
        let report = SandboxReport(bids: ["sbx1", "sbx2"], calls: calls, extraProblems: ["BID sbx2 not settled"])
        #expect(!report.passed) // the sample's unacknowledged webhook fails it; unexpected answers alone are problems, not failures
        #expect(report.problems.first == "BID sbx2 not settled")
        #expect(report.problems.contains { $0.contains("expected skipped, got queued") })
        #expect(report.problems.contains { $0.contains("repeated webhook answered queued, expected duplicate") })
        #expect(report.problems.contains { $0.contains("expected to end skipped, ended failed_stt") })
    }

    @Test func callRecordAnswersAreInterpreted() {
        let notified: [String: Any] = ["call": [
            "processing_state": "notified", "webhook_received_at": "2026-03-11T12:00:00Z", "completed_at": "2026-03-11T12:00:42Z",
        ]]
        #expect(CallVerification(callRecord: notified) == .found(state: "notified", endToEndSeconds: 42, lastError: nil))
        let skipped: [String: Any] = ["call": [
            "processing_state": "skipped", "webhook_received_at": "2026-03-11T12:00:00Z", "completed_at": "2026-03-11T12:00:00Z",
        ]]
        #expect(CallVerification(callRecord: skipped) == .found(state: "skipped", endToEndSeconds: nil, lastError: nil))
        #expect(CallVerification.found(state: "failed_stt", endToEndSeconds: 1, lastError: "x").isTerminal)
        #expect(!CallVerification.found(state: "queued", endToEndSeconds: nil, lastError: nil).isTerminal)
        #expect(!CallVerification.missing.isTerminal)
        if case .unverifiable = CallVerification(callRecord: ["transcript": NSNull()]) {} else {
            Issue.record("a record without call.processing_state must be unverifiable")
        }
    }
}

// MARK: - Helpers

/// Two BIDs: an eligible notified call, a duplicate (repeat answered duplicate) that failed STT, an unacknowledged
/// webhook, a too-short call skipped, and an eligible call that failed STT.
private func sampleCalls() -> [SandboxCall] {
    let plan = CallPlan.make(bids: ["sbx1", "sbx2"], count: 5, seed: 1, callIDEpoch: 1_773_212_620)
    func call(_ index: Int, _ kind: CallKind, bid: String) -> PlannedCall {
        var call = plan.calls[index]
        call.kind = kind
        call.bid = bid
        return call
    }
    func ack(_ answer: String) -> WebhookDelivery {
        WebhookDelivery(attempts: 1, httpStatus: 200, answer: answer, acknowledgedAt: Date(), error: nil)
    }
    return [
        SandboxCall(call: call(0, .eligible, bid: "sbx1"), delivery: ack("queued"),
                    verification: .found(state: "notified", endToEndSeconds: 8, lastError: nil)),
        SandboxCall(call: call(1, .duplicate, bid: "sbx1"), delivery: ack("queued"), repeatDelivery: ack("duplicate"),
                    verification: .found(state: "failed_stt", endToEndSeconds: 4, lastError: "no speech engine")),
        SandboxCall(call: call(2, .eligible, bid: "sbx1"),
                    delivery: WebhookDelivery(attempts: 3, httpStatus: 503, answer: nil, acknowledgedAt: nil, error: "busy")),
        SandboxCall(call: call(3, .tooShort, bid: "sbx2"), delivery: ack("skipped"),
                    verification: .found(state: "skipped", endToEndSeconds: nil, lastError: nil)),
        SandboxCall(call: call(4, .eligible, bid: "sbx2"), delivery: ack("queued"),
                    verification: .found(state: "failed_stt", endToEndSeconds: 30, lastError: "no speech engine")),
    ]
}

/// Collects log lines from concurrent senders.
private final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// A scripted stand-in for the daemon's webhook, status and call-record endpoints. Distinct call ids are treated by
/// order of arrival: the 1st gets 503 twice, the 2nd 429 (Retry-After: 1) once, the 3rd 400 always, the 4th is
/// acknowledged but never stored; the rest are skipped (not ANSWER or under 10 s), queued (ending notified) or duplicate.
private actor FakeDaemon {
    static let platformSecret = "fake-platform-secret"
    static let opsToken = "fake-ops-token"

    private(set) var activations: [String] = []
    private var secrets: [String: String] = [:]
    private var arrival: [String: Int] = [:]
    private var attempts: [String: Int] = [:]
    /// bid → callid → final state.
    private var stored: [String: [String: String]] = [:]

    struct Answer: Sendable {
        var status: Int
        var json: [String: any Sendable]
        var retryAfter: String?
    }

    func activate(_ body: [UInt8], signature: String?) -> Answer {
        guard WebhookSignature.isValid(header: signature, body: body, secrets: [Self.platformSecret]) else {
            return Answer(status: 401, json: ["error": "bad signature"])
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let bid = json["bid"] as? String,
              json["event"] as? String == "pcaa.activated", json["plan"] as? String == "standard",
              (json["paid_until"] as? String).flatMap(Timestamp.parse) != nil
        else { return Answer(status: 422, json: ["error": "invalid"]) }
        activations.append(bid)
        secrets[bid] = "secret-\(bid)"
        return Answer(status: 200, json: ["bid": bid, "created": true, "webhook_secret": "secret-\(bid)"])
    }

    func callCompleted(_ body: [UInt8], signature: String?) -> Answer {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let bid = json["bid"] as? String, let callid = json["callid"] as? String, let secret = secrets[bid],
              WebhookSignature.isValid(header: signature, body: body, secrets: [secret])
        else { return Answer(status: 401, json: ["error": "bad signature"]) }
        let order = arrival[callid] ?? arrival.count
        arrival[callid] = order
        attempts[callid, default: 0] += 1
        switch (order, attempts[callid]!) {
        case (0, 1...2): return Answer(status: 503, json: ["error": "busy"])
        case (1, 1): return Answer(status: 429, json: ["error": "slow down"], retryAfter: "1")
        case (2, _): return Answer(status: 400, json: ["error": "refused"])
        case (3, _): return Answer(status: 200, json: ["status": "queued"])
        default: break
        }
        if stored[bid]?[callid] != nil { return Answer(status: 200, json: ["status": "duplicate"]) }
        let answered = json["call_status"] as? String == "ANSWER" && (json["duration_seconds"] as? Int ?? 0) >= 10
        stored[bid, default: [:]][callid] = answered ? "notified" : "skipped"
        return Answer(status: 200, json: ["status": answered ? "queued" : "skipped"])
    }

    func status(bid: String) -> Answer {
        guard secrets[bid] != nil else { return Answer(status: 404, json: [:]) }
        let calls = stored[bid] ?? [:]
        return Answer(status: 200, json: ["bid": bid, "subscription_status": "active", "total": calls.count, "non_terminal": 0,
                                          "counts": Dictionary(grouping: calls.values, by: { $0 }).mapValues(\.count)])
    }

    func record(bid: String, callid: String) -> Answer {
        guard let state = stored[bid]?[callid] else { return Answer(status: 404, json: [:]) }
        return Answer(status: 200, json: ["call": ["processing_state": state, "webhook_received_at": "2026-03-11T12:00:00Z",
                                                   "completed_at": state == "skipped" ? "2026-03-11T12:00:00Z" : "2026-03-11T12:00:05Z"],
                                          "history": [String]()])
    }

    /// Serves the fake on an ephemeral 127.0.0.1 port while `body` runs with its base URL.
    nonisolated func withRunning(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        let signature: @Sendable (Request) -> String? = { request in
            request.headers.first { $0.name.canonicalName == "x-mcube-signature" }?.value
        }
        router.post("webhook/bid-activated") { request, _ -> Response in
            var request = request
            let bytes = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
            return try await self.activate(bytes, signature: signature(request)).response()
        }
        router.post("webhook/call-completed") { request, _ -> Response in
            var request = request
            let bytes = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
            return try await self.callCompleted(bytes, signature: signature(request)).response()
        }
        router.get("pipeline/:bid/status") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(Self.opsToken)" else { return try Answer(status: 401, json: [:]).response() }
            return try await self.status(bid: context.parameters.get("bid") ?? "").response()
        }
        router.get("call-records/:bid/:callid") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(Self.opsToken)" else { return try Answer(status: 401, json: [:]).response() }
            return try await self.record(bid: context.parameters.get("bid") ?? "", callid: context.parameters.get("callid") ?? "").response()
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-daemon")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw CancellationError()
            }
            do {
                try await body("http://127.0.0.1:\(port)")
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }
}

extension FakeDaemon.Answer {
    func response() throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers.append(contentsOf: [.init("Retry-After")!: retryAfter] as HTTPFields) }
        let data = try JSONSerialization.data(withJSONObject: json)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
