import Foundation
import PCAACore
import PCAANet

/// Turns chat API failures into `StageError`s with `analysis_*` codes.
///
/// Transient: 429 (honouring `Retry-After`), 408, 424, 5xx, throttling error types, timeouts, connection failures,
/// replies that are not the API's shape. Permanent: 401/403 (`analysis_auth_failed`, without the provider's message,
/// which may quote the key), other 4xx. Every message has the credentials removed.
struct LLMErrorMapper: Sendable {
    let provider: String
    /// Removed from every message.
    let secrets: [String]

    static let maxProviderMessage = 300

    /// The error for a non-2xx reply (a 4xx whose type says throttling, not-ready, timeout or Bedrock's
    /// ServiceQuotaExceededException — "resubmit your request later" — is transient too). `type` is the provider's error type (Bedrock's `x-amzn-ErrorType`, OpenAI's
    /// `error.type`/`code`), `message` its message.
    func error(status: Int, type: String?, message: String?, retryAfter: String?) -> StageError {
        let kind = type.map { Self.oneLine($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let transientType = kind.map { ["throttl", "notready", "timeout", "unavailable", "rate_limit", "overloaded", "internal", "servicequotaexceeded"]
            .contains(where: $0.lowercased().contains) } ?? false
        let wait = Self.retryAfterSeconds(retryAfter)
        switch status {
        case 401, 403:
            var detail = "\(provider): authentication or permission failed (HTTP \(status))"
            if let kind { detail += " [\(kind.prefix(60))]" }
            return .permanent("analysis_auth_failed", redact(detail + "; check the credentials and model access"))
        case 429:
            return .transient("analysis_rate_limited", text("rate limited (HTTP 429)", kind, message), retryAfter: wait)
        case 408, 424, 500...599:
            return .transient("analysis_http_\(status)", text("HTTP \(status)", kind, message), retryAfter: wait)
        case 400...499 where transientType:
            return .transient("analysis_http_\(status)", text("HTTP \(status)", kind, message), retryAfter: wait)
        case 400...499:
            return .permanent("analysis_http_\(status)", text("request rejected (HTTP \(status))", kind, message))
        default:
            return .transient("analysis_http_\(status)", text("unexpected HTTP \(status)", kind, message), retryAfter: wait)
        }
    }

    /// A reply that is not the API's documented shape; a retry may help.
    func badResponse(_ detail: String) -> StageError {
        .transient("analysis_bad_response", redact("\(provider): \(detail)"))
    }

    func error(transport: HTTPClientError) -> StageError {
        switch transport {
        case .timedOut:
            return .transient("analysis_timeout", "\(provider): request timed out")
        case .connectionFailed(_, let detail):
            return .transient("analysis_unavailable", redact("\(provider): connection failed: \(detail)"))
        case .responseTooLarge(let limit):
            return .transient("analysis_bad_response", "\(provider): reply larger than \(limit) bytes")
        case .invalidURL:
            return .permanent("analysis_bad_config", "\(provider): endpoint is not an http(s) URL")
        case .fileError(_, let detail):
            return .transient("analysis_transport_error", redact("\(provider): \(detail)"))
        case .other(let code, let detail):
            return .transient("analysis_transport_error", redact("\(provider): transfer failed (curl \(code)): \(detail)"))
        }
    }

    /// Up to 120 characters of a body, on one line, without secrets.
    func snippet(_ body: [UInt8]) -> String {
        if body.isEmpty { return "(empty body)" }
        return "\"" + String(Self.oneLine(redact(String(decoding: body.prefix(4096), as: UTF8.self))).prefix(120)) + "\""
    }

    func redact(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
    }

    private func text(_ summary: String, _ kind: String?, _ message: String?) -> String {
        var text = "\(provider): \(summary)"
        var extra: [String] = []
        if let message = message.map(Self.oneLine), !message.isEmpty { extra.append(message) }
        if let kind { extra.append("[\(kind)]") }
        if !extra.isEmpty {
            // Redact before truncating, so a secret straddling the cut cannot leak a prefix.
            let joined = redact(extra.joined(separator: " "))
            text += ": " + (joined.count > Self.maxProviderMessage ? String(joined.prefix(Self.maxProviderMessage - 1)) + "…" : joined)
        }
        return redact(text)
    }

    /// `Retry-After` as seconds: delta-seconds or an HTTP-date; nil if absent or unparsable.
    static func retryAfterSeconds(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 }).trimmingCharacters(in: .whitespaces)
    }
}
