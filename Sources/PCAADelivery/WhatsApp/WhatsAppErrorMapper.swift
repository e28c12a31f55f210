import Foundation
import PCAACore
import PCAANet

/// Turns Cloud API failures into `StageError`s, by the Graph error `code` first and the HTTP status second.
///
/// Transient: rate limits (130429, 131056, 80007, 4), temporary service errors (1, 2, 131000, 131016), 429, 408,
/// 5xx, timeouts and connection failures (with `Retry-After` when given). Permanent: 190 and 401/403 (the token,
/// whose provider message is never echoed), permissions (10, 200-299), 100 (bad parameter), 131026
/// (undeliverable), 132xxx (template problems), 131047 (outside the 24-hour window without a template) and other
/// 4xx. Every message has the access token removed.
struct WhatsAppErrorMapper: Sendable {
    let token: String

    static let maxProviderMessage = 300
    static let outsideWindow = 131047
    static let rateLimits: Set<Int> = [4, 80007, 130429, 131056]
    static let temporary: Set<Int> = [1, 2, 131000, 131016]
    static let templateErrors: Set<Int> = [132000, 132001, 132005, 132007, 132012, 132015, 132016]

    /// The Graph error of a body, if it has one.
    static func details(_ body: [UInt8]) -> WhatsAppErrorEnvelope.Details? {
        guard !body.isEmpty else { return nil }
        return (try? JSONDecoder().decode(WhatsAppErrorEnvelope.self, from: Data(body)))?.error
    }

    /// The error for a non-2xx reply.
    func error(status: Int, headers: [String: String], body: [UInt8]) -> StageError {
        let details = Self.details(body)
        let retryAfter = Self.retryAfterSeconds(headers["retry-after"])
        let summary = describe(status: status, details: details, body: body)
        if let code = details?.code {
            switch code {
            case 190:
                return authFailed(status: status, details: details)
            case 10, 200...299:
                return .permanent("whatsapp_permission_denied", summary + "; check the token's whatsapp_business_messaging permission")
            case Self.outsideWindow:
                return .permanent("whatsapp_outside_window", summary + "; outside the 24-hour window and the message has no template")
            case _ where Self.rateLimits.contains(code):
                return .transient("whatsapp_rate_limited", summary, retryAfter: retryAfter)
            case _ where Self.temporary.contains(code):
                return .transient("whatsapp_unavailable", summary, retryAfter: retryAfter)
            case 131026:
                return .permanent("whatsapp_undeliverable", summary)
            case _ where Self.templateErrors.contains(code):
                return .permanent("whatsapp_template_rejected", summary)
            case 100:
                return .permanent("whatsapp_invalid_request", summary)
            default:
                break
            }
        }
        switch status {
        case 401, 403:
            return authFailed(status: status, details: details)
        case 408, 429, 500...599:
            return .transient("whatsapp_http_\(status)", summary, retryAfter: retryAfter)
        case 400...499:
            return .permanent(details?.code.map { "whatsapp_error_\($0)" } ?? "whatsapp_http_\(status)", summary)
        default:
            return .transient("whatsapp_http_\(status)", summary, retryAfter: retryAfter)
        }
    }

    /// The error for a failed transfer.
    func error(transport: HTTPClientError) -> StageError {
        switch transport {
        case .timedOut:
            return .transient("whatsapp_timeout", "whatsapp: request timed out")
        case .connectionFailed(_, let detail):
            return .transient("whatsapp_unavailable", redact("whatsapp: connection failed: \(detail)"))
        case .responseTooLarge(let limit):
            return .transient("whatsapp_bad_response", "whatsapp: reply larger than \(limit) bytes")
        case .invalidURL:
            return .permanent("whatsapp_bad_config", "whatsapp: whatsapp.base_url is not an http(s) URL")
        case .fileError(_, let detail):
            return .transient("whatsapp_transport_error", redact("whatsapp: \(detail)"))
        case .other(let code, let detail):
            return .transient("whatsapp_transport_error", redact("whatsapp: transfer failed (curl \(code)): \(detail)"))
        }
    }

    /// A 2xx reply without `messages[0].id`. Not retried: the API may have accepted the message, and a retry
    /// could deliver it twice; usually the base URL points at something that is not the Cloud API.
    func badAcceptance(_ body: [UInt8]) -> StageError {
        .permanent("whatsapp_bad_response", "whatsapp: HTTP 200 without messages[0].id (not retried: the message may have been "
            + "accepted; check whatsapp.base_url); body starts with \(snippet(body))")
    }

    // MARK: Helpers

    private func authFailed(status: Int, details: WhatsAppErrorEnvelope.Details?) -> StageError {
        // The provider's message is left out: token errors can quote the token.
        var text = "whatsapp: access token rejected (HTTP \(status)"
        if let code = details?.code { text += ", code \(code)" }
        if let subcode = details?.errorSubcode { text += ", subcode \(subcode)" }
        text += "); check whatsapp.access_token"
        return .permanent("whatsapp_auth_failed", redact(text))
    }

    private func describe(status: Int, details: WhatsAppErrorEnvelope.Details?, body: [UInt8]) -> String {
        guard let details else { return "whatsapp: HTTP \(status): \(snippet(body))" }
        var parts: [String] = []
        if let code = details.code { parts.append("code \(code)") }
        if let subcode = details.errorSubcode { parts.append("subcode \(subcode)") }
        if let type = details.type { parts.append(Self.oneLine(type)) }
        if let trace = details.fbtraceID { parts.append("fbtrace_id \(Self.oneLine(trace))") }
        var text = "whatsapp: HTTP \(status)"
        if let message = details.message, !message.isEmpty { text += ": " + Self.truncated(redact(Self.oneLine(message))) }
        if !parts.isEmpty { text += " [" + parts.joined(separator: ", ") + "]" }
        return redact(text)
    }

    /// Up to 120 characters of a body, on one line, without the token.
    func snippet(_ body: [UInt8]) -> String {
        if body.isEmpty { return "(empty body)" }
        return "\"" + String(Self.oneLine(redact(String(decoding: body.prefix(4096), as: UTF8.self))).prefix(120)) + "\""
    }

    func redact(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "[redacted]")
    }

    /// `Retry-After` as delta-seconds; nil when absent or not a number.
    static func retryAfterSeconds(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), let seconds = Double(value), seconds.isFinite else { return nil }
        return max(0, seconds)
    }

    private static func truncated(_ text: String) -> String {
        text.count > maxProviderMessage ? String(text.prefix(maxProviderMessage - 1)) + "…" : text
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 }).trimmingCharacters(in: .whitespaces)
    }
}
