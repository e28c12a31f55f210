import Foundation
import GRDB
import PCAACore
import PCAADelivery
import PCAAPipeline
import PCAAStore
import Testing

/// Agent reports through the real pipeline (a real SMTP server from aiosmtpd, the file outbox), sent once per
/// (call, channel, recipient) even when the notify job runs again; the agent and supervisor endpoints.
@Suite("Notifications", .serialized) struct NotificationTests {
    static func notifyRuns(_ daemon: TestDaemon, _ callid: String) async throws -> Int {
        try await daemon.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM processing_log WHERE callid = ? AND stage = 'notify' AND status = 'success'",
                             arguments: [callid]) ?? 0
        }
    }

    /// Makes the call's notify job run again, as after a worker crash between delivery and completion.
    static func rerunNotify(_ daemon: TestDaemon, bid: String, callid: String) async throws {
        try await daemon.database.writer.write { db in
            try db.execute(sql: "UPDATE jobs SET state = 'ready', run_at = ?, lease_until = NULL WHERE stage = 'notify' AND bid = ? AND callid = ?",
                           arguments: [DatabaseTimestamp(Date()), bid, callid])
        }
    }

    @Test(.enabled(if: TestSMTPServer.installed, "needs .venv-test with aiosmtpd (make test creates it)"))
    func agentReportIsMailedOnceToEachRecipientEvenWhenTheJobRunsTwice() async throws {
        try await TestSMTPServer.with { smtp in
            let recordings = try await TestRecordings.start()
            defer { Task { await recordings.stop() } }
            var config = TestDaemon.testConfig()
            config.defaults.notifier = "live"
            config.email.smtpURL = smtp.url
            config.email.startTLS = false
            config.email.fromAddress = "reports@pcaa.example"
            config.email.fromName = "Call Quality"
            var registry = TestProviders.registry(dataDir: config.storage.dataDir)
            registry.notifiers["email"] = EmailNotifier(settings: try #require(EmailSettings(config: config.email)))
            let daemon = try await TestDaemon.start(config: config, providers: registry)
            defer { Task { await daemon.stop() } }
            let secret = try await daemon.activate("6004")
            try await daemon.database.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO notification_config (bid, notification_type, channel, recipient_type, custom_email, created_at, updated_at)
                    VALUES ('6004', 'agent_report', 'email', 'custom_email', 'qa.lead@company.com', ?, ?)
                    """, arguments: [DatabaseTimestamp(Date()), DatabaseTimestamp(Date())])
            }
            let callid = "77001"
            let payload = CallPayload(bid: "6004", callid: callid, recordingURL: recordings.url(callid))
            #expect(try await daemon.postCall(payload, secret: secret).status == 200)
            #expect(await eventually { (try? await daemon.callState("6004", callid)) == .notified })
            #expect(await eventually { ((try? smtp.messages()) ?? []).count == 2 })

            let received = try smtp.messages()
            let recipients = Set(received.flatMap { $0.envelope["rcpt_tos"] as? [String] ?? [] })
            #expect(recipients == ["richa@company.com", "qa.lead@company.com"])
            for message in received {
                let raw = String(decoding: message.raw, as: UTF8.self)
                #expect(raw.contains("multipart/alternative"))
                let parsed = message.message
                let headers = parsed["headers"] as? [String: Any] ?? [:]
                let parts = parsed["parts"] as? [[String: Any]] ?? []
                #expect((headers["Subject"] as? String)?.hasPrefix("Call quality report: ") == true, "\(parsed)")
                #expect((headers["From"] as? String) == "Call Quality <reports@pcaa.example>")
                #expect(parts.map { $0["content_type"] as? String } == ["text/plain", "text/html"])
                #expect((parts.first?["content"] as? String)?.contains("Your Score:") == true)
                #expect((parts.last?["content"] as? String)?.contains("<h2") == true)
                #expect((parsed["defects"] as? [Any])?.isEmpty == true)
            }

            // The job runs again (a crash after delivery, a rescued lease): nothing is sent twice.
            try await Self.rerunNotify(daemon, bid: "6004", callid: callid)
            #expect(await eventually { (try? await Self.notifyRuns(daemon, callid)) == 2 })
            #expect(try smtp.messages().count == 2)
            let log = try await daemon.database.notifications(bid: "6004", callid: callid)
            #expect(log.count == 2 && log.allSatisfy { $0.status == .sent && $0.attempts == 1 && $0.providerMessageId != nil })
            #expect(try await daemon.callState("6004", callid) == .notified)
        }
    }

    @Test func notifierWhatsAppSendsTheReportThroughTheCloudAPI() async throws {
        let fake = FakeWhatsApp(replies: [])
        try await fake.run { base in
            let recordings = try await TestRecordings.start()
            defer { Task { await recordings.stop() } }
            var config = TestDaemon.testConfig()
            config.defaults.notifier = "whatsapp"
            var registry = TestProviders.registry(dataDir: config.storage.dataDir)
            registry.notifiers["whatsapp"] = WhatsAppNotifierTests.notifier(base)
            let daemon = try await TestDaemon.start(config: config, providers: registry)
            defer { Task { await daemon.stop() } }
            let secret = try await daemon.activate("6004")
            // notification_config still says e-mail: `notifier = "whatsapp"` sends everything on WhatsApp instead.
            #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "77004", recordingURL: recordings.url("77004")), secret: secret).status == 200)
            #expect(await eventually { (try? await daemon.callState("6004", "77004")) == .notified })
            let requests = fake.requests
            try #require(requests.count == 1)
            #expect(requests[0].problems.isEmpty, "\(requests[0].problems)")
            #expect(requests[0].json["to"] as? String == "919876543210", "the webhook's agent_phone, with the country code")
            let body = ((requests[0].json["text"] as? [String: Any])?["body"] as? String) ?? ""
            #expect(body.contains("Call Quality Report") && body.contains("Your Score:"))
            let log = try await daemon.database.notifications(bid: "6004", callid: "77004")
            #expect(log.map(\.channel) == ["whatsapp"] && log.first?.providerMessageId?.hasPrefix("wamid.") == true)
            #expect(!FileManager.default.fileExists(atPath: daemon.config.storage.dataDir + "/outbox/6004"))
        }
    }

    @Test func outboxReportIsReadableAndProfilesFillMissingContacts() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        // The webhook carries no agent e-mail: the profile supplies it, and WhatsApp too for this BID.
        try await daemon.database.saveAgentProfile(AgentProfile(bid: "6004", agentId: "emp_123", agentName: "Richa Vishwakarma",
                                                                email: "richa.v@company.com", whatsapp: "+91 98765 43210"))
        try await daemon.database.writer.write { db in
            try db.execute(sql: "UPDATE notification_config SET channel = 'both' WHERE bid = '6004' AND notification_type = 'agent_report'")
        }
        var payload = CallPayload(bid: "6004", callid: "77002", recordingURL: recordings.url("77002"))
        payload.agentEmail = nil
        #expect(try await daemon.postCall(payload, secret: secret).status == 200)
        #expect(await eventually { (try? await daemon.callState("6004", "77002")) == .notified })

        let folder = daemon.config.storage.dataDir + "/outbox/6004"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count == 2 && files.contains { $0.hasSuffix(".eml") } && files.contains { $0.hasSuffix(".json") })
        let mail = try String(contentsOfFile: folder + "/" + #require(files.first { $0.hasSuffix(".eml") }), encoding: .utf8)
        #expect(mail.contains("<richa.v@company.com>\r\n"))
        for line in ["📞 Call Quality Report", "Your Score:", "BANT Status:", "Need:", "Coaching tips:"] {
            #expect(mail.contains(line), "missing \(line) in\n\(mail)")
        }
        #expect(!mail.contains("{{") && !mail.contains("\r\n\r\n\r\n"), "no template leftovers or runs of blank lines")
        let whatsapp = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + #require(files.first { $0.hasSuffix(".json") }))))
        let request = (whatsapp as? [String: Any])?["request"] as? [String: Any]
        #expect(request?["to"] as? String == "+91 98765 43210")
        #expect(((request?["text"] as? [String: Any])?["body"] as? String)?.contains("Call Quality Report") == true)

        // The agent's reports endpoint shows the score, coaching and both deliveries.
        let response = try await daemon.get("/agents/6004/emp_123/reports")
        #expect(response.status == 200, "\(response.bodyString)")
        let reports = try response.json()["reports"] as? [[String: Any]] ?? []
        #expect(reports.count == 1 && reports.first?["callid"] as? String == "77002" && reports.first?["total_score"] is Double)
        let deliveries = reports.first?["deliveries"] as? [[String: Any]] ?? []
        #expect(Set(deliveries.compactMap { $0["channel"] as? String }) == ["email", "whatsapp"] && deliveries.allSatisfy { $0["status"] as? String == "sent" })
        #expect((try await daemon.get("/agents/6004/emp_999/reports").json()["reports"] as? [Any])?.isEmpty == true, "another agent has none")
        #expect(try await daemon.get("/agents/6004/..%2Fx/reports").status == 422)
        #expect(try await daemon.get("/agents/7777/emp_123/reports").status == 404)
    }

    @Test func aBIDWithoutRecipientsOrWithNotifierNoneStillCompletes() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        var payload = CallPayload(bid: "6004", callid: "77003", recordingURL: recordings.url("77003"))
        payload.agentEmail = nil
        #expect(try await daemon.postCall(payload, secret: secret).status == 200)
        #expect(await eventually { (try? await daemon.callState("6004", "77003")) == .notified })
        let notes = try await daemon.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT error_message FROM processing_log WHERE callid = '77003' AND stage = 'notify' AND error_message IS NOT NULL")
        }
        #expect(notes.contains { $0.contains("no_recipient") }, "\(notes)")
        #expect(!FileManager.default.fileExists(atPath: daemon.config.storage.dataDir + "/outbox/6004"))
    }
}
