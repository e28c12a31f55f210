import Foundation
import Logging
import PCAACore
import PCAAStore

/// Sends messages at most once per idempotency key: the `notifications` log is checked before and written after
/// each delivery, so a job that runs twice (a retry, a rescued lease) does not send again. A crash between a
/// provider accepting a message and the log row being written can still repeat that one message (at-least-once);
/// the outbox and e-mail Message-IDs are derived from the key, so a repeat is recognisable.
public struct NotificationDispatcher: Sendable {
    /// What happened to one message.
    public enum Outcome: Sendable, Equatable {
        case sent(DeliveryReceipt)
        /// Sent by an earlier run; not sent again.
        case alreadySent(providerMessageID: String?)
        case failed(StageError)
    }

    let database: AppDatabase
    let providers: ProviderRegistry
    let logger: Logger

    public init(database: AppDatabase, providers: ProviderRegistry, logger: Logger = Logger(label: "notification_worker")) {
        self.database = database
        self.providers = providers
        self.logger = logger
    }

    /// Delivers `message` through `mode` (the outbox, or the live channel its `channel` names) unless its key was sent.
    public func send(_ message: OutboundMessage, kind: String, mode: DeliveryMode) async -> Outcome {
        guard mode != .none else { return .failed(.permanent("delivery_disabled", "delivery is switched off")) }
        let notifier: any Notifier
        if mode == .outbox {
            guard let outbox = providers.notifier(named: "outbox") else { return .failed(.permanent("outbox_missing", "no outbox")) }
            notifier = outbox
        } else {
            guard let live = providers.notifier(named: message.channel) else { return .failed(.permanent("channel_missing", "no \(message.channel)")) }
            notifier = live
        }
        do {
            let before = try await database.beginDelivery(
                key: message.idempotencyKey, bid: message.bid, callid: message.callid, kind: kind, channel: message.channel,
                recipient: message.recipient)
            if let before, before.status == .sent { return .alreadySent(providerMessageID: before.providerMessageId) }
        } catch {
            return .failed(.transient("notification_log_unavailable", "cannot read the delivery log: \(error)"))
        }
        let outcome: Outcome
        do {
            outcome = .sent(try await notifier.deliver(message))
        } catch let error as StageError {
            outcome = .failed(error)
        } catch {
            outcome = .failed(.transient("delivery_failed", "\(error)"))
        }
        var receipt: DeliveryReceipt?
        var failure: String?
        switch outcome {
        case .sent(let accepted): receipt = accepted
        case .failed(let error): failure = "\(error.code): \(error.message)"
        case .alreadySent: break
        }
        do {
            try await database.finishDelivery(key: message.idempotencyKey, receipt: receipt, error: failure)
        } catch {
            // The message went out but the log could not say so: a retry may send it again. Say so loudly.
            logger.error("notification_log_write_failed", metadata: ["bid": "\(message.bid)", "channel": "\(message.channel)", "error": "\(error)"])
        }
        var metadata: Logger.Metadata = ["bid": "\(message.bid)", "kind": "\(kind)", "channel": "\(message.channel)", "mode": "\(mode.rawValue)"]
        if let callid = message.callid { metadata["callid"] = "\(callid)" }
        switch outcome {
        case .sent(let accepted):
            metadata["message_id"] = "\(accepted.providerMessageID)"
            if let detail = accepted.detail { metadata["detail"] = "\(detail)" }
            logger.info("notification_sent", metadata: metadata)
        case .failed(let error):
            metadata["error_code"] = "\(error.code)"
            metadata["error"] = "\(error.message)"
            logger.warning("notification_failed", metadata: metadata)
        case .alreadySent: break
        }
        return outcome
    }
}
