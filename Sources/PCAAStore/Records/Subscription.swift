import Foundation
import GRDB
import PCAACore

/// A BID's PCAA subscription (seed §6.1): the single gate for accepting its calls.
public struct Subscription: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "subscriptions"

    public var id: Int64?
    public var bid: String
    public var businessName: String?
    public var plan: String
    public var status: SubscriptionStatus
    public var statusReason: String?
    public var activatedAt: Date?
    public var paidUntil: Date?
    /// The time of the billing event that set `status`; older events never override newer ones.
    public var statusChangedAt: Date
    public var webhookSecret: String
    public var previousWebhookSecret: String?
    public var previousSecretExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}
