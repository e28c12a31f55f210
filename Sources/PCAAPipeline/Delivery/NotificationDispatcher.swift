import Foundation
import Logging
import PCAACore
import PCAAStore

/// Sends messages at most once per idempotency key: the `notifications` log is read before each delivery and the
/// outcome written after it — by the notify stage inside the transaction that completes its job (so the hot path
/// costs no extra commit), by ``send(_:kind:mode:)`` on its own for digests. A crash between a provider accepting a
/// message and the log row being written can still repeat that one message (at-least-once); the outbox and e-mail
/// Message-IDs are derived from the key, so a repeat is recognisable.
public struct NotificationDispatcher: Sendable {
    /// What happened to one message.
    public enum Outcome: Sendable, Equatable {
        case sent(DeliveryReceipt)
        /// Sent by an earlier run; not sent again.
        case alreadySent(providerMessageID: String?)
        case failed(StageError)
    }

    /// An outcome and the log row it calls for (nil when nothing was attempted).
    public struct Delivery: Sendable {
        public let outcome: Outcome
        public let entry: DeliveryLogEntry?
    }

    let database: AppDatabase
    let providers: ProviderRegistry
    let logger: Logger

    public init(database: AppDatabase, providers: ProviderRegistry, logger: Logger = Logger(label: "notification_worker")) {
        self.database = database
        self.providers = providers
        self.logger = logger
    }

    /// Delivers and logs at once (digests, commands).
    public func send(_ message: OutboundMessage, kind: String, mode: DeliveryMode) async -> Outcome {
        let delivery = await deliver(message, kind: kind, mode: mode)
        await record(delivery.entry.map { [$0] } ?? [])
        return delivery.outcome
    }

    /// Writes outcomes to the log in a transaction of their own. A failure is logged, not thrown: the messages went
    /// out, and a retry may send them again, which the operator should hear about.
    public func record(_ entries: [DeliveryLogEntry]) async {
        guard !entries.isEmpty else { return }
        do {
            try await database.recordDeliveries(entries)
        } catch {
            logger.error("notification_log_write_failed", metadata: [
                "bid": "\(entries[0].bid)", "deliveries": .stringConvertible(entries.count), "error": "\(error)",
            ])
        }
    }

    /// Delivers `message` through `mode` (the outbox, or the live channel its `channel` names) unless its key was
    /// sent; the caller writes `entry` to the log.
    public func deliver(_ message: OutboundMessage, kind: String, mode: DeliveryMode) async -> Delivery {
        guard mode != .none else { return Delivery(outcome: .failed(.permanent("delivery_disabled", "delivery is switched off")), entry: nil) }
        let notifier: (any Notifier)? = mode == .outbox ? providers.notifier(named: "outbox") : providers.notifier(named: message.channel)
        guard let notifier else { return Delivery(outcome: .failed(.permanent("channel_missing", "no \(message.channel) channel")), entry: nil) }
        do {
            if let earlier = try await database.notification(key: message.idempotencyKey), earlier.status == .sent {
                return Delivery(outcome: .alreadySent(providerMessageID: earlier.providerMessageId), entry: nil)
            }
        } catch {
            return Delivery(outcome: .failed(.transient("notification_log_unavailable", "cannot read the delivery log: \(error)")), entry: nil)
        }
        let outcome: Outcome
        do {
            outcome = .sent(try await notifier.deliver(message))
        } catch let error as StageError {
            outcome = .failed(error)
        } catch {
            outcome = .failed(.transient("delivery_failed", "\(error)"))
        }
        var entry = DeliveryLogEntry(key: message.idempotencyKey, bid: message.bid, callid: message.callid, kind: kind, channel: message.channel,
                                     recipient: message.recipient, receipt: nil, error: nil)
        var metadata: Logger.Metadata = ["bid": "\(message.bid)", "kind": "\(kind)", "channel": "\(message.channel)", "mode": "\(mode.rawValue)"]
        if let callid = message.callid { metadata["callid"] = "\(callid)" }
        switch outcome {
        case .sent(let receipt):
            entry.receipt = receipt
            metadata["message_id"] = "\(receipt.providerMessageID)"
            if let detail = receipt.detail { metadata["detail"] = "\(detail)" }
            logger.info("notification_sent", metadata: metadata)
        case .failed(let error):
            entry.error = "\(error.code): \(error.message)"
            metadata["error_code"] = "\(error.code)"
            metadata["error"] = "\(error.message)"
            logger.warning("notification_failed", metadata: metadata)
        case .alreadySent:
            break
        }
        return Delivery(outcome: outcome, entry: entry)
    }
}
