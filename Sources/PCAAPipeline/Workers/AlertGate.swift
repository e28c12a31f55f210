import Foundation
import Logging

/// An alert that passed its cooldown, on its way to the ops recipients.
public struct RaisedAlert: Sendable, Equatable {
    public let kind: String
    public let bid: String?
    public let message: String
    /// Repeats held back since the previous alert of this kind and BID.
    public let suppressed: Int
    public let at: Date
}

/// Raises operator alerts as error log lines carrying `"alert": kind`, at most once per (kind, BID) per cooldown:
/// one incident, one alert. Repeats within the cooldown are counted and reported with the next alert. With a
/// cooldown store attached (the database) the cooldown outlives restarts; raised alerts are also published on
/// ``raised`` for ``AlertSender`` to deliver.
public actor AlertGate {
    /// Checks and records a cooldown persistently: nil when the store cannot answer (the database is the incident).
    public typealias CooldownStore = @Sendable (_ kind: String, _ scope: String, _ cooldown: TimeInterval) async -> (raised: Bool, suppressed: Int)?

    private let cooldown: Duration
    private let logger: Logger
    private var lastRaised: [String: ContinuousClock.Instant] = [:]
    private var suppressed: [String: Int] = [:]
    private let store: CooldownStore?
    /// Alerts that were raised, newest kept when nobody reads (bounded).
    public nonisolated let raised: AsyncStream<RaisedAlert>
    private let continuation: AsyncStream<RaisedAlert>.Continuation

    /// `store` keeps cooldowns across restarts (nil: in memory only).
    public init(cooldownMinutes: Int, logger: Logger = Logger(label: "alerts"), store: CooldownStore? = nil) {
        self.cooldown = .seconds(cooldownMinutes * 60)
        self.logger = logger
        self.store = store
        (raised, continuation) = AsyncStream.makeStream(of: RaisedAlert.self, bufferingPolicy: .bufferingNewest(100))
    }

    /// Logs the alert unless the same kind for the same BID was raised within the cooldown. Returns whether it was raised.
    @discardableResult
    public func raise(_ kind: String, bid: String?, message: String, metadata: Logger.Metadata = [:]) async -> Bool {
        let key = kind + "|" + (bid ?? "*")
        let now = ContinuousClock.now
        if let last = lastRaised[key], now - last < cooldown {
            suppressed[key, default: 0] += 1
            return false
        }
        lastRaised[key] = now
        var heldBack = suppressed.removeValue(forKey: key) ?? 0
        if let store, let persisted = await store(kind, bid ?? "*", Double(cooldown.components.seconds)) {
            // Raised before this process started (or by another one) within the cooldown: count it, say nothing.
            guard persisted.raised else { return false }
            heldBack = max(heldBack, persisted.suppressed)
        }
        var fields = metadata
        fields["alert"] = "\(kind)"
        if let bid { fields["bid"] = "\(bid)" }
        fields["detail"] = "\(message)"
        if heldBack > 0 { fields["suppressed_since_last"] = .stringConvertible(heldBack) }
        logger.error("alert", metadata: fields)
        continuation.yield(RaisedAlert(kind: kind, bid: bid, message: message, suppressed: heldBack, at: Date()))
        return true
    }

    /// How many alerts of this kind and BID were held back since the last one raised.
    public func suppressedCount(_ kind: String, bid: String?) -> Int { suppressed[kind + "|" + (bid ?? "*")] ?? 0 }
}
