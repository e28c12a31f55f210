/// Exponential backoff with jitter for transient failures.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseSeconds: Double
    public var maxSeconds: Double
    /// Fraction of the delay randomised either way (0.2 = ±20%).
    public var jitter: Double

    public init(maxAttempts: Int, baseSeconds: Double, maxSeconds: Double, jitter: Double) {
        self.maxAttempts = maxAttempts
        self.baseSeconds = baseSeconds
        self.maxSeconds = maxSeconds
        self.jitter = jitter
    }

    public init(_ queue: PCAAConfig.Queue) {
        self.init(maxAttempts: queue.maxAttempts, baseSeconds: queue.backoffBaseSeconds,
                  maxSeconds: queue.backoffMaxSeconds, jitter: queue.backoffJitter)
    }

    /// Seconds to wait after failed attempt number `attempt` (1-based), never less than `retryAfter`.
    public func delay(afterAttempt attempt: Int, retryAfter: Double? = nil, random: Double = Double.random(in: -1...1)) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let raw = min(maxSeconds, baseSeconds * pow2(exponent))
        let jittered = max(0, raw * (1 + jitter * max(-1, min(1, random))))
        return max(jittered, min(retryAfter ?? 0, maxSeconds))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
