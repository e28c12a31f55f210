import PCAACore
import PCAANet

/// Turns SMTP failures into `StageError`s: connection failures, timeouts and 4xx replies (421, 450, 451, 452) are
/// transient; 5xx replies (550, 553, 554), refused AUTH (535) and TLS/configuration problems are permanent.
/// The password is removed from every message.
struct SMTPErrorMapper: Sendable {
    let password: String

    func error(_ failure: SMTPError) -> StageError {
        let server = failure.replyText.map { " (server: \(redact(oneLine($0))))" } ?? ""
        switch failure.reason {
        case .timedOut:
            return .transient("email_timeout", redact("email: SMTP session timed out: \(failure.message)") + server)
        case .connectionFailed:
            return .transient("email_unavailable", redact("email: cannot reach the SMTP server: \(failure.message)") + server)
        case .authenticationFailed:
            return .permanent("email_auth_failed", "email: the SMTP server refused the login; check email.username and email.password" + server)
        case .startTLSUnavailable:
            return .permanent("email_tls_unavailable", "email: the server does not offer STARTTLS (set email.starttls = false only for a loopback relay)" + server)
        case .tlsFailed:
            return .permanent("email_tls_failed", redact("email: TLS failed: \(failure.message); check the server certificate or email.ca_file") + server)
        case .invalidConfiguration:
            return .permanent("email_bad_config", redact("email: \(failure.message); check email.smtp_url") + server)
        case .rejected, .other:
            return replyError(failure, server: server)
        }
    }

    private func replyError(_ failure: SMTPError, server: String) -> StageError {
        let code = failure.replyCode
        let text = redact("email: \(failure.message)") + server
        switch code {
        case 530, 534, 535, 538:
            return .permanent("email_auth_failed", "email: the SMTP server refused the login (\(code)); check email.username and email.password" + server)
        case 400...499:
            return .transient("email_smtp_\(code)", text)
        case 500...599:
            return .permanent("email_smtp_\(code)", text)
        default:
            return .transient("email_transport_error", text)
        }
    }

    private func redact(_ text: String) -> String {
        password.isEmpty ? text : text.replacingOccurrences(of: password, with: "[redacted]")
    }

    private func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
