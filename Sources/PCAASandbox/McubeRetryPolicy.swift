import Foundation

/// Mcube's webhook retry behaviour: up to 3 attempts; a connection error, timeout, 5xx or 429 is retried
/// after 0.5 s, then 1 s (or the answer's `Retry-After`, capped); any other 4xx is final.
public struct McubeRetryPolicy: Sendable {
    public var maxAttempts: Int
    /// Wait before attempt 2, 3, …; the last value repeats.
    public var backoffSeconds: [Double]
    /// Longest `Retry-After` honoured.
    public var maxRetryAfterSeconds: Double

    public init(maxAttempts: Int = 3, backoffSeconds: [Double] = [0.5, 1.0], maxRetryAfterSeconds: Double = 30) {
        self.maxAttempts = maxAttempts
        self.backoffSeconds = backoffSeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
    }

    /// Whether an answer with `status` is worth another attempt.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }

    /// Seconds to wait after failed attempt number `attempt` (1-based), honouring a `Retry-After` of whole seconds.
    public func delay(afterAttempt attempt: Int, retryAfter: String?) -> Double {
        if let retryAfter, let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return min(seconds, maxRetryAfterSeconds)
        }
        guard !backoffSeconds.isEmpty else { return 0 }
        return backoffSeconds[min(max(0, attempt - 1), backoffSeconds.count - 1)]
    }
}
