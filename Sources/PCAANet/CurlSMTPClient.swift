import CCurl

/// Submits RFC 5322 messages to an SMTP server with libcurl (`smtp://` + STARTTLS, `smtps://`, or plain `smtp://`
/// when explicitly allowed), with AUTH when credentials are given. Blocking work runs on its own thread.
public struct CurlSMTPClient: Sendable {
    public init() {}

    /// Sends one message; returns the server's final reply code (250). Throws ``SMTPError`` or `CancellationError`.
    public func send(_ submission: SMTPSubmission) async throws -> Int {
        let lowered = submission.url.lowercased()
        guard lowered.hasPrefix("smtp://") || lowered.hasPrefix("smtps://") else {
            throw SMTPError(reason: .invalidConfiguration, replyCode: 0, replyText: nil,
                            message: "only smtp:// and smtps:// URLs are allowed", curlCode: Int32(bitPattern: CURLE_UNSUPPORTED_PROTOCOL.rawValue))
        }
        return try await CurlThread.run { cancellation in
            let easy = try Self.easyHandle()
            let recipients = try CurlStringList(submission.recipients)
            let transfer = SMTPTransfer(message: submission.message, cancellation: cancellation)
            try Self.configure(easy, submission, recipients: recipients)
            return try withExtendedLifetime(recipients) { try transfer.perform(on: easy) }
        }
    }

    private static func easyHandle() throws -> CurlEasy {
        do {
            return try CurlEasy()
        } catch {
            throw SMTPError(reason: .other, replyCode: 0, replyText: nil, message: "\(error)", curlCode: -1)
        }
    }

    private static func configure(_ easy: CurlEasy, _ submission: SMTPSubmission, recipients: CurlStringList) throws {
        do {
            try easy.set(CURLOPT_URL, submission.url)
            try easy.set(CURLOPT_NOSIGNAL, 1)
            try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            try easy.set(CURLOPT_TIMEOUT_MS, milliseconds(submission.timeout))
            try easy.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(submission.connectTimeout))
            try easy.set(CURLOPT_FORBID_REUSE, 1)
            switch submission.security {
            case .implicitTLS, .requireSTARTTLS:
                try check(pcaa_curl_setopt_require_tls(easy.handle))
            case .none:
                try check(pcaa_curl_setopt_no_tls(easy.handle))
            }
            if let caFile = submission.caFile, !caFile.isEmpty { try easy.set(CURLOPT_CAINFO, caFile) }
            if let username = submission.username, !username.isEmpty {
                try easy.set(CURLOPT_USERNAME, username)
                try easy.set(CURLOPT_PASSWORD, submission.password ?? "")
            }
            try easy.set(CURLOPT_MAIL_FROM, "<\(submission.mailFrom)>")
            try check(pcaa_curl_setopt_mail_rcpt(easy.handle, recipients.list))
            try easy.set(CURLOPT_UPLOAD, 1)
            try easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(submission.message.count))
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError(reason: .invalidConfiguration, replyCode: 0, replyText: nil, message: "\(error)", curlCode: -1)
        }
    }

    private static func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else {
            throw SMTPError(reason: .invalidConfiguration, replyCode: 0, replyText: nil, message: CurlErrors.text(code),
                            curlCode: Int32(bitPattern: code.rawValue))
        }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return max(1, Int((seconds * 1000).rounded()))
    }
}
