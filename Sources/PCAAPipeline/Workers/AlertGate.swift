import Foundation
import Logging

/// Raises operator alerts as error log lines carrying `"alert": kind`, at most once per (kind, BID) per cooldown:
/// one incident, one alert. Repeats within the cooldown are counted and reported with the next alert.
public actor AlertGate {
    private let cooldown: Duration
    private let logger: Logger
    private var lastRaised: [String: ContinuousClock.Instant] = [:]
    private var suppressed: [String: Int] = [:]

    public init(cooldownMinutes: Int, logger: Logger = Logger(label: "alerts")) {
        self.cooldown = .seconds(cooldownMinutes * 60)
        self.logger = logger
    }

    /// Logs the alert unless the same kind for the same BID was raised within the cooldown. Returns whether it was raised.
    @discardableResult
    public func raise(_ kind: String, bid: String?, message: String, metadata: Logger.Metadata = [:]) -> Bool {
        let key = kind + "|" + (bid ?? "*")
        let now = ContinuousClock.now
        if let last = lastRaised[key], now - last < cooldown {
            suppressed[key, default: 0] += 1
            return false
        }
        lastRaised[key] = now
        var fields = metadata
        fields["alert"] = "\(kind)"
        if let bid { fields["bid"] = "\(bid)" }
        fields["detail"] = "\(message)"
        if let count = suppressed.removeValue(forKey: key), count > 0 { fields["suppressed_since_last"] = .stringConvertible(count) }
        logger.error("alert", metadata: fields)
        return true
    }

    /// How many alerts of this kind and BID were held back since the last one raised.
    public func suppressedCount(_ kind: String, bid: String?) -> Int { suppressed[kind + "|" + (bid ?? "*")] ?? 0 }
}
