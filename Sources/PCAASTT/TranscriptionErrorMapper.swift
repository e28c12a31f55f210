import Foundation
import PCAACore
import PCAANet

/// Turns HTTP statuses, provider error bodies and transport failures into `StageError`s.
///
/// Transient: 429 (with `Retry-After`; but an exhausted quota is permanent), 408, 5xx, timeouts, connection failures, malformed replies, and
/// error replies that cannot be classified. Permanent: 401/403 (`stt_auth_failed`, never echoing the
/// provider's message, which may quote the key), other 4xx (with the provider's message, ≤ 300 characters).
/// Every message has the API key removed.
struct TranscriptionErrorMapper: Sendable {
    /// Provider name, used as a message prefix.
    let provider: String
    /// Removed from every message (never logged, never stored).
    let secret: String?

    static let maxProviderMessage = 300

    // MARK: HTTP status

    /// The error for a non-2xx response.
    func error(status: Int, headers: [String: String], body: [UInt8]) -> StageError {
        let payload = Self.errorPayload(body)
        switch status {
        case 401, 403:
            return authFailed(status: status, payload: payload)
        case 429 where Self.isQuotaExhausted(payload):
            // Sarvam's insufficient_quota_error and OpenAI's insufficient_quota: waiting will not help.
            return .permanent("stt_quota_exhausted", message("account quota exhausted (HTTP 429)", payload: payload, body: body))
        case 429:
            return .transient(
                "stt_rate_limited", message("rate limited (HTTP 429)", payload: payload, body: body),
                retryAfter: Self.retryAfterSeconds(headers["retry-after"]))
        case 413:
            return .permanent("stt_upload_too_large", message("upload rejected as too large (HTTP 413)", payload: payload, body: body))
        case 408, 500...599:
            return .transient(
                "stt_http_\(status)", message("HTTP \(status)", payload: payload, body: body),
                retryAfter: Self.retryAfterSeconds(headers["retry-after"]))
        case 400...499:
            return .permanent("stt_http_\(status)", message("request rejected (HTTP \(status))", payload: payload, body: body))
        default:
            // 1xx/3xx as a final status: odd, possibly a proxy hiccup.
            return .transient("stt_http_\(status)", message("unexpected HTTP \(status)", payload: payload, body: body))
        }
    }

    // MARK: Error replies with HTTP 200

    /// The error for a 2xx reply holding `{"error": …}` (whisper.cpp's server does this).
    /// Classified by `type`/`code` where recognisable; otherwise transient.
    func errorReply(_ payload: ProviderErrorPayload) -> StageError {
        let text = message("error reply with HTTP 200", payload: payload, body: [])
        switch Self.classify(payload) {
        case .auth:
            return authFailed(status: nil, payload: payload)
        case .permanent:
            return .permanent("stt_provider_error", text)
        case .transient, nil:
            return .transient("stt_provider_error", text)
        }
    }

    /// A reply that is not a usable transcription; a retry may help.
    func badResponse(_ detail: String) -> StageError {
        .transient("stt_bad_response", redact("\(provider): \(detail)"))
    }

    // MARK: Transport

    /// The error for a failed transfer. `CancellationError` is not mapped (callers rethrow it).
    func error(transport: HTTPClientError) -> StageError {
        switch transport {
        case .timedOut:
            return .transient("stt_timeout", redact("\(provider): request timed out"))
        case .connectionFailed(_, let detail):
            return .transient("stt_unavailable", redact("\(provider): connection failed: \(detail)"))
        case .responseTooLarge(let limit):
            return .transient("stt_bad_response", redact("\(provider): reply larger than \(limit) bytes"))
        case .invalidURL:
            return .permanent("stt_bad_config", redact("\(provider): base URL is not an http(s) URL"))
        case .fileError(let path, let detail):
            return .permanent("stt_audio_unreadable", redact("\(provider): cannot read audio \(path): \(detail)"))
        case .other(let code, let detail):
            return .transient("stt_transport_error", redact("\(provider): transfer failed (curl \(code)): \(detail)"))
        }
    }

    // MARK: Helpers

    /// Up to 120 characters of a body for diagnostics, on one line, without the secret.
    func snippet(_ body: [UInt8]) -> String {
        if body.isEmpty { return "(empty body)" }
        // Redact before cutting, so a key straddling the cut cannot leak a prefix.
        let text = Self.oneLine(redact(String(decoding: body.prefix(4096), as: UTF8.self)))
        return "\"" + String(text.prefix(120)) + "\""
    }

    /// `text` with every occurrence of the secret replaced.
    func redact(_ text: String) -> String {
        guard let secret, !secret.isEmpty else { return text }
        return text.replacingOccurrences(of: secret, with: "[redacted]")
    }

    private func authFailed(status: Int?, payload: ProviderErrorPayload?) -> StageError {
        // The provider's message is deliberately left out: OpenAI's quotes (part of) the key.
        var detail = "authentication failed"
        if let status { detail += " (HTTP \(status))" }
        if let kind = payload?.code ?? payload?.type { detail += " [\(Self.oneLine(kind).prefix(60))]" }
        return .permanent("stt_auth_failed", redact("\(provider): \(detail); check the API key"))
    }

    private func message(_ summary: String, payload: ProviderErrorPayload?, body: [UInt8]) -> String {
        var text = "\(provider): \(summary)"
        if let payload {
            var extra: [String] = []
            if let message = payload.message, !message.isEmpty { extra.append(Self.oneLine(message)) }
            if let kind = payload.code ?? payload.type { extra.append("[\(Self.oneLine(kind))]") }
            // Redact before truncating, so a key straddling the cut cannot leak a prefix.
            if !extra.isEmpty { text += ": " + Self.truncated(redact(extra.joined(separator: " "))) }
        } else if !body.isEmpty {
            text += ": " + Self.truncated(Self.oneLine(redact(String(decoding: body.prefix(4096), as: UTF8.self))))
        }
        return redact(text)
    }

    private static func isQuotaExhausted(_ payload: ProviderErrorPayload?) -> Bool {
        [payload?.code, payload?.type].contains { $0?.lowercased().contains("insufficient_quota") == true }
    }

    private enum Classification { case auth, transient, permanent }

    /// Classifies an error by its `type`/`code` (OpenAI names, or an HTTP-like number); nil if unknown.
    private static func classify(_ payload: ProviderErrorPayload) -> Classification? {
        let tokens = [payload.type, payload.code].compactMap { $0?.lowercased() }.filter { !$0.isEmpty }
        func has(_ markers: [String]) -> Bool { tokens.contains { token in markers.contains { token.contains($0) } } }
        if has(["invalid_api_key", "authentication", "unauthorized", "permission", "forbidden"]) { return .auth }
        if has(["rate_limit", "server_error", "timeout", "overloaded", "unavailable", "internal", "busy"]) { return .transient }
        if has(["invalid", "unsupported", "not_found", "bad_request", "too_large", "decode", "format"]) { return .permanent }
        for token in tokens {
            guard let number = Int(token) else { continue }
            switch number {
            case 401, 403: return .auth
            case 408, 429, 500...599: return .transient
            case 400...499: return .permanent
            default: continue
            }
        }
        return nil
    }

    /// The error payload of a JSON error body, if it has one.
    private static func errorPayload(_ body: [UInt8]) -> ProviderErrorPayload? {
        guard !body.isEmpty else { return nil }
        return (try? JSONDecoder().decode(ProviderErrorEnvelope.self, from: Data(body)))?.payload
    }

    /// `Retry-After` as seconds: delta-seconds (fractions accepted) or an HTTP-date; nil if absent or unparsable.
    static func retryAfterSeconds(_ value: String?) -> Double? {
        guard let value = value?.trimmingSpaces, !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    private static func truncated(_ text: String) -> String {
        text.count > maxProviderMessage ? String(text.prefix(maxProviderMessage - 1)) + "…" : text
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 }).trimmingSpaces
    }
}
