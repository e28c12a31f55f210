import Foundation
import GRDB
import PCAACore

/// One delivery attempt's outcome (the `notifications` log): per idempotency key — (call, channel, recipient) for
/// reports, (BID, group, period, channel, recipient) for digests — so a message is sent once even when its job runs
/// twice.
public struct NotificationRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "notifications"

    public enum Status: String, Codable, Sendable { case sent, failed }

    public var id: Int64?
    public var bid: String
    public var callid: String?
    /// `agent_report`, `supervisor_digest` or `alert`.
    public var kind: String
    public var channel: String
    public var recipient: String
    public var idempotencyKey: String
    public var status: Status
    public var providerMessageId: String?
    public var detail: String?
    public var attempts: Int
    public var error: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var sentAt: Date?
}

/// The outcome of one delivery, to be written to the `notifications` log (see `AppDatabase.recordDeliveries`).
public struct DeliveryLogEntry: Sendable, Equatable {
    public var key: String
    public var bid: String
    public var callid: String?
    public var kind: String
    public var channel: String
    public var recipient: String
    /// Set when the channel accepted the message.
    public var receipt: DeliveryReceipt?
    /// Set when it did not.
    public var error: String?

    public init(key: String, bid: String, callid: String?, kind: String, channel: String, recipient: String, receipt: DeliveryReceipt?,
                error: String?) {
        self.key = key
        self.bid = bid
        self.callid = callid
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.receipt = receipt
        self.error = error
    }
}
