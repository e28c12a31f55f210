/// Why a stage failed, and whether trying again can help.
public struct StageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Transient errors (timeouts, 429, 5xx) are retried with backoff; permanent ones (4xx, bad audio) go straight to `dead`.
    public enum Kind: String, Sendable, Codable { case transient, permanent }

    public let kind: Kind
    /// A stable machine-readable code, e.g. `download_http_404`, `stt_unavailable`.
    public let code: String
    /// A human-readable explanation; must never contain a secret.
    public let message: String
    /// A lower bound on the next attempt's delay, from a provider's `Retry-After`.
    public let retryAfterSeconds: Double?

    public init(_ kind: Kind, code: String, message: String, retryAfterSeconds: Double? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public static func transient(_ code: String, _ message: String, retryAfter: Double? = nil) -> StageError {
        StageError(.transient, code: code, message: message, retryAfterSeconds: retryAfter)
    }

    public static func permanent(_ code: String, _ message: String) -> StageError {
        StageError(.permanent, code: code, message: message)
    }

    public var description: String { "\(kind.rawValue) \(code): \(message)" }
}
