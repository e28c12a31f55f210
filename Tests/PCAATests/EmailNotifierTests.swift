import Foundation
import PCAACore
import PCAADelivery
import Testing

/// `EmailNotifier` in a real SMTP conversation: libcurl against aiosmtpd on loopback (Tests/Fixtures/smtp), which
/// stores each message with Python's own parse of it (decoded headers and parts, line checks).
@Suite(.enabled(if: TestSMTPServer.installed, "the test venv is missing: run `bash Tests/Fixtures/smtp/setup.sh` (make test does)"))
struct EmailNotifierTests {
    static let password = "smtp-Pa55word-never-shown"

    static func message(to recipient: String = "priya.sharma@example.com", html: String? = "<p>Score <b>82</b> — well done</p>") -> OutboundMessage {
        OutboundMessage(
            channel: "email", recipient: recipient, recipientName: "प्रिया शर्मा",
            subject: "कॉल रिपोर्ट: Priya's call scored 82/100 ✅",
            text: "Hello Priya,\nyour call with Ravi scored 82/100.\n.a line starting with a dot\nनमस्ते 👋", html: html,
            idempotencyKey: "6004:call-1:email:priya.sharma@example.com", bid: "6004", callid: "call-1")
    }

    /// A decoded part as Python returns it, with LF line endings and without the final line break.
    static func normalized(_ content: Any?) -> String? {
        guard var text = (content as? String)?.replacingOccurrences(of: "\r\n", with: "\n") else { return nil }
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func notifier(_ url: String, startTLS: Bool = false, username: String = "", password: String = "", caFile: String = "",
                         timeout: Double = 15) -> EmailNotifier {
        EmailNotifier(settings: EmailSettings(smtpURL: url, username: username, password: password, fromAddress: "reports@pcaa.example",
                                              fromName: "pcaa reports", startTLS: startTLS, caFile: caFile, timeout: timeout))
    }

    @Test func aMultipartMessageArrivesWellFormed() async throws {
        try await TestSMTPServer.with { server in
            let message = Self.message()
            let receipt = try await Self.notifier(server.url).deliver(message)
            let received = try server.messages()
            try #require(received.count == 1)
            let envelope = received[0].envelope
            #expect(envelope["mail_from"] as? String == "reports@pcaa.example")
            #expect(envelope["rcpt_tos"] as? [String] == ["priya.sharma@example.com"])
            let parsed = received[0].message
            #expect(parsed["bare_lf"] as? Int == 0)
            #expect(parsed["bare_cr"] as? Int == 0)
            #expect((parsed["max_line_octets"] as? Int ?? 999) <= 78)
            #expect(parsed["ends_with_crlf"] as? Bool == true)
            #expect(parsed["defects"] as? [String] == [])
            #expect(parsed["date_valid"] as? Bool == true)
            #expect(parsed["content_type"] as? String == "multipart/alternative")
            let headers = parsed["headers"] as? [String: Any] ?? [:]
            #expect(headers["Subject"] as? String == message.subject)
            #expect(headers["MIME-Version"] as? String == "1.0")
            #expect(headers["Message-ID"] as? String == receipt.providerMessageID)
            #expect(receipt.providerMessageID.hasPrefix("<pcaa.") && receipt.providerMessageID.hasSuffix("@pcaa.example>"))
            let to = parsed["to"] as? [String: String]
            #expect(to?["display_name"] == "प्रिया शर्मा")
            #expect(to?["addr_spec"] == "priya.sharma@example.com")
            #expect((parsed["from"] as? [String: String])?["display_name"] == "pcaa reports")
            let parts = parsed["parts"] as? [[String: Any]] ?? []
            try #require(parts.count == 2)
            #expect(parts.map { $0["content_type"] as? String } == ["text/plain", "text/html"])
            #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" })
            #expect(Self.normalized(parts[0]["content"]) == message.text)
            #expect(Self.normalized(parts[1]["content"]) == message.html)
            // The raw bytes really are CRLF-only 7-bit text.
            #expect(received[0].raw.allSatisfy { $0 < 0x80 })
        }
    }

    @Test func textOnlyWhenThereIsNoHTML() async throws {
        try await TestSMTPServer.with { server in
            _ = try await Self.notifier(server.url).deliver(Self.message(html: nil))
            let parsed = try #require(try server.messages().first).message
            #expect(parsed["content_type"] as? String == "text/plain")
            let parts = parsed["parts"] as? [[String: Any]] ?? []
            #expect(parts.count == 1)
            #expect(Self.normalized(parts.first?["content"]) == Self.message().text)
        }
    }

    @Test func authenticatesWithUsernameAndPassword() async throws {
        try await TestSMTPServer.with(["--auth", "pcaa:\(Self.password)"]) { server in
            _ = try await Self.notifier(server.url, username: "pcaa", password: Self.password).deliver(Self.message())
            #expect(try server.messages().first?.envelope["auth_login"] as? String == "pcaa")

            let error = await #expect(throws: StageError.self) {
                try await Self.notifier(server.url, username: "pcaa", password: "wrong-\(Self.password)").deliver(Self.message())
            }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "email_auth_failed")
            #expect(error?.message.contains(Self.password) == false)
            // Without credentials the server refuses MAIL FROM with 530: permanent.
            let missing = await #expect(throws: StageError.self) { try await Self.notifier(server.url).deliver(Self.message()) }
            #expect(missing?.kind == .permanent)
            #expect(try server.messages().count == 1)
        }
    }

    @Test(.enabled(if: TestSMTPServer.hasOpenSSL, "openssl is not installed"))
    func startTLSWithASelfSignedCertificateAndAuth() async throws {
        let (cert, key) = try TestSMTPServer.selfSignedCertificate()
        try await TestSMTPServer.with(["--tls-cert", cert, "--tls-key", key, "--auth", "pcaa:\(Self.password)"]) { server in
            _ = try await Self.notifier(server.url, startTLS: true, username: "pcaa", password: Self.password, caFile: cert).deliver(Self.message())
            let received = try #require(try server.messages().first)
            #expect(received.envelope["tls"] as? Bool == true)
            #expect(received.envelope["auth_login"] as? String == "pcaa")

            // Without the CA file the self-signed certificate is refused: a configuration problem, not retried.
            let error = await #expect(throws: StageError.self) {
                try await Self.notifier(server.url, startTLS: true, username: "pcaa", password: Self.password).deliver(Self.message())
            }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "email_tls_failed")
            #expect(error?.message.contains(Self.password) == false)
        }
    }

    @Test(.enabled(if: TestSMTPServer.hasOpenSSL, "openssl is not installed"))
    func implicitTLSWithSMTPS() async throws {
        let (cert, key) = try TestSMTPServer.selfSignedCertificate()
        try await TestSMTPServer.with(["--tls-cert", cert, "--tls-key", key, "--implicit-tls"]) { server in
            let receipt = try await Self.notifier("smtps://127.0.0.1:\(server.port)", caFile: cert).deliver(Self.message())
            let received = try #require(try server.messages().first)
            #expect(received.envelope["tls"] as? Bool == true)
            #expect((received.message["headers"] as? [String: Any])?["Message-ID"] as? String == receipt.providerMessageID)
        }
    }

    @Test func startTLSIsRequiredUnlessSwitchedOff() async throws {
        try await TestSMTPServer.with { server in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(server.url, startTLS: true).deliver(Self.message()) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "email_tls_unavailable")
            #expect((try? server.messages())?.isEmpty == true)
        }
    }

    @Test func aRefusedRecipientIsPermanent() async throws {
        try await TestSMTPServer.with(["--refuse", "gone@example.com"]) { server in
            let error = await #expect(throws: StageError.self) {
                try await Self.notifier(server.url).deliver(Self.message(to: "gone@example.com"))
            }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "email_smtp_550")
            #expect(error?.message.contains("mailbox unavailable") == true)
        }
    }

    @Test func temporaryRefusalsAreTransient() async throws {
        try await TestSMTPServer.with(["--rcpt-reply", "452 4.2.2 Mailbox full, try later"]) { server in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(server.url).deliver(Self.message()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "email_smtp_452")
        }
        try await TestSMTPServer.with(["--data-reply", "451 4.3.0 Local error in processing"]) { server in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(server.url).deliver(Self.message()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "email_smtp_451")
        }
    }

    @Test func aServerThatIsDownIsTransient() async throws {
        let url = "smtp://127.0.0.1:\(TestSMTPServer.closedPort())"
        let error = await #expect(throws: StageError.self) {
            try await Self.notifier(url, username: "pcaa", password: Self.password).deliver(Self.message())
        }
        #expect(error?.kind == .transient)
        #expect(error?.code == "email_unavailable")
        #expect(error?.message.contains(Self.password) == false)
    }

    @Test func aServerThatNeverAnswersTimesOutTransiently() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        let error = await #expect(throws: StageError.self) {
            try await Self.notifier("smtp://127.0.0.1:\(silent.port)", timeout: 1).deliver(Self.message())
        }
        #expect(error?.kind == .transient)
        #expect(error?.code == "email_timeout")
    }

    @Test func aRecipientThatIsNotAnAddressIsPermanent() async throws {
        for bad in ["priya", "priya@", "a b@example.com", "x@example.com\r\nBcc: victim@example.com", "<x@example.com>"] {
            let error = await #expect(throws: StageError.self) { try await Self.notifier("smtp://127.0.0.1:1").deliver(Self.message(to: bad)) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "email_invalid_recipient")
        }
    }
}
