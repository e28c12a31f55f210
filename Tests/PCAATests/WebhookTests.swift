import Foundation
import GRDB
import PCAACore
import PCAAStore
import Testing

/// `POST /webhook/call-completed` against a real daemon on loopback (seed §5.4).
@Suite struct WebhookTests {
    /// A daemon whose workers are off, so tests see exactly what the webhook stored and queued.
    static func idleDaemon() async throws -> TestDaemon {
        var config = TestDaemon.testConfig()
        config.workers.transcribe = 0
        config.workers.analyze = 0
        config.workers.notify = 0
        return try await TestDaemon.start(config: config)
    }

    func counts(_ daemon: TestDaemon, bid: String) async throws -> (calls: Int, jobs: Int, logs: Int) {
        try await daemon.database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE bid = ?", arguments: [bid]) ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE bid = ?", arguments: [bid]) ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_log WHERE event_type = 'call.completed'") ?? 0)
        }
    }

    @Test func validCallIsStoredAndQueuedInOneGo() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let response = try await daemon.postCall(CallPayload(bid: "6004", callid: "97393902541773212620"), secret: secret)
        #expect(response.status == 200)
        #expect(try response.json()["status"] as? String == "queued")
        let (calls, jobs, logs) = try await counts(daemon, bid: "6004")
        #expect(calls == 1 && jobs == 1 && logs == 1)
        let row = try await daemon.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT processing_state, agent_email, webhook_received_at FROM calls WHERE callid = '97393902541773212620'")
        }
        #expect(row?["processing_state"] == "queued")
        #expect(row?["agent_email"] == "richa@company.com")
        let log = try await daemon.database.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM webhook_log WHERE event_type = 'call.completed'") }
        #expect(log?["signature_valid"] == true && log?["queued"] == true)
    }

    @Test func signatureMustMatchTheBIDSecret() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let payload = CallPayload(bid: "6004", callid: "1001")

        let missing = try await daemon.postCall(payload, secret: "").status
        let noHeader = try await daemon.postSigned("/webhook/call-completed", json: payload.json, secret: nil)
        let wrong = try await daemon.postCall(payload, secret: "another-secret-entirely")
        let platform = try await daemon.postCall(payload, secret: daemon.platformSecret)
        let body = Array(payload.json.utf8)
        let garbage = try await daemon.post("/webhook/call-completed", body: body, headers: [("X-Mcube-Signature", "zz-not-hex")])
        let upper = try await daemon.post("/webhook/call-completed", body: body,
                                          headers: [("x-mcube-signature", WebhookSignature.sign(body: body, secret: secret).uppercased())])

        #expect(missing == 401)
        #expect(noHeader.status == 401 && noHeader.errorCode == "invalid_signature")
        #expect(wrong.status == 401 && platform.status == 401 && garbage.status == 401)
        #expect(upper.status == 200, "header names and hex digits are case-insensitive")
        let (calls, jobs, logs) = try await counts(daemon, bid: "6004")
        #expect(calls == 1 && jobs == 1)
        #expect(logs == 6, "every request, refused or not, is in webhook_log")
    }

    @Test func tamperedBodyIsRefused() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let original = Array(CallPayload(bid: "6004", callid: "1001").json.utf8)
        let signature = WebhookSignature.sign(body: original, secret: secret)
        let tampered = Array(CallPayload(bid: "6004", callid: "1001", duration: 999).json.utf8)
        let response = try await daemon.post("/webhook/call-completed", body: tampered, headers: [(WebhookSignature.headerName, signature)])
        #expect(response.status == 401)
        #expect(try await counts(daemon, bid: "6004").calls == 0)
    }

    @Test func unknownAndInactiveBIDsAreForbidden() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let unknown = try await daemon.postCall(CallPayload(bid: "7777", callid: "1"), secret: "whatever-secret")
        #expect(unknown.status == 403 && unknown.errorCode == "unknown_bid")

        let secret = try await daemon.activate("6004")
        #expect(try await daemon.deactivate("6004").status == 200)
        let inactive = try await daemon.postCall(CallPayload(bid: "6004", callid: "2"), secret: secret)
        #expect(inactive.status == 403 && inactive.errorCode == "bid_inactive")
        let forged = try await daemon.postCall(CallPayload(bid: "6004", callid: "2"), secret: "forged-secret-value")
        #expect(forged.status == 401, "a bad signature is 401 even for an inactive BID")
        #expect(try await counts(daemon, bid: "6004").calls == 0)
    }

    @Test func duplicateCallidIsAcknowledgedWithoutASecondJob() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let payload = CallPayload(bid: "6004", callid: "555")
        #expect(try await daemon.postCall(payload, secret: secret).json()["status"] as? String == "queued")
        let again = try await daemon.postCall(payload, secret: secret)
        #expect(again.status == 200)
        #expect(try again.json()["status"] as? String == "duplicate")
        let (calls, jobs, _) = try await counts(daemon, bid: "6004")
        #expect(calls == 1 && jobs == 1)
    }

    @Test func concurrentDuplicateStormMakesOneCallAndOneJob() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let payload = CallPayload(bid: "6004", callid: "424242")
        let statuses = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<40 {
                group.addTask { try await daemon.postCall(payload, secret: secret).json()["status"] as? String ?? "?" }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == "queued" }.count == 1)
        #expect(statuses.filter { $0 == "duplicate" }.count == 39)
        let (calls, jobs, logs) = try await counts(daemon, bid: "6004")
        #expect(calls == 1 && jobs == 1 && logs == 40)
    }

    @Test func ineligibleCallsAreSkippedWithAReason() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let unanswered = try await daemon.postCall(CallPayload(bid: "6004", callid: "1", status: "NOANSWER", recordingURL: nil), secret: secret)
        let short = try await daemon.postCall(CallPayload(bid: "6004", callid: "2", duration: 4), secret: secret)
        #expect(unanswered.status == 200 && short.status == 200)
        #expect(try unanswered.json()["status"] as? String == "skipped")
        #expect(try unanswered.json()["reason"] as? String == "not_answered")
        #expect(try short.json()["reason"] as? String == "too_short")
        let (calls, jobs, _) = try await counts(daemon, bid: "6004")
        #expect(calls == 2 && jobs == 0)
        #expect(try await daemon.callState("6004", "2") == .skipped)
        let repeatShort = try await daemon.postCall(CallPayload(bid: "6004", callid: "2", duration: 4), secret: secret)
        #expect(try repeatShort.json()["status"] as? String == "duplicate")
    }

    @Test func malformedJSONIs400() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        for body in [#"{"bid":"6004","#, "not json", #"{"bid":"6004","bid":"6005"}"#, "[1,2", "{\"a\":\"\u{0}\"}", ""] {
            let response = try await daemon.postSigned("/webhook/call-completed", json: body, secret: secret)
            #expect(response.status == 400, "body \(body.debugDescription) → \(response.status)")
            #expect(response.errorCode == "malformed_json")
        }
        let invalidUTF8: [UInt8] = Array(#"{"bid":"6004","callid":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        let response = try await daemon.post("/webhook/call-completed", body: invalidUTF8,
                                             headers: [(WebhookSignature.headerName, WebhookSignature.sign(body: invalidUTF8, secret: secret))])
        #expect(response.status == 400)
        #expect(try await counts(daemon, bid: "6004").calls == 0)
    }

    @Test func invalidFieldsAre422AndNamed() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let json = #"{"event":"call.completed","bid":"6004","callid":"../../etc/passwd","duration_seconds":"long","call_status":7,"recording_url":"file:///etc/passwd","agent_email":"nope"}"#
        let response = try await daemon.postSigned("/webhook/call-completed", json: json, secret: secret)
        #expect(response.status == 422)
        let fields = (((try response.json()["error"] as? [String: Any])?["fields"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
        #expect(Set(fields).isSuperset(of: ["callid", "duration_seconds", "call_status", "recording_url", "agent_email"]))
        let badBID = try await daemon.postSigned("/webhook/call-completed", json: #"{"bid":"../6004","callid":"1"}"#, secret: secret)
        #expect(badBID.status == 422)
        let lookalike = try await daemon.postSigned("/webhook/call-completed", json: #"{"bid":"6004","callid":"1\#u{2024}\#u{2024}/x","duration_seconds":60,"call_status":"ANSWER","recording_url":"http://x/y.wav"}"#, secret: secret)
        #expect(lookalike.status == 422)
        #expect(try await counts(daemon, bid: "6004").calls == 0)
    }

    @Test func oversizedBodyIs413() async throws {
        var config = TestDaemon.testConfig()
        config.workers.transcribe = 0
        config.server.maxBodyBytes = 4096
        let daemon = try await TestDaemon.start(config: config)
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        var payload = CallPayload(bid: "6004", callid: "1")
        payload.agentEmail = String(repeating: "a", count: 5000) + "@x.com"
        let response = try await daemon.postCall(payload, secret: secret)
        #expect(response.status == 413)
        #expect(response.errorCode == "body_too_large")
        let logged = try await daemon.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT http_status FROM webhook_log WHERE event_type = 'call.completed'")
        }
        #expect(logged == 413)
    }

    @Test func unknownRoutesAnswerJSON404() async throws {
        let daemon = try await Self.idleDaemon()
        defer { Task { await daemon.stop() } }
        let response = try await daemon.get("/nope")
        #expect(response.status == 404)
        #expect(response.errorCode == "not_found")
    }
}
