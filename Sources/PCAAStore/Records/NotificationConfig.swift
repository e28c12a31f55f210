import Foundation
import GRDB

/// Who gets what, how and when for one BID (seed §8.3 `notification_config`).
public struct NotificationConfig: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "notification_config"

    public enum Kind: String, Codable, Sendable, CaseIterable { case agentReport = "agent_report", supervisorDigest = "supervisor_digest" }
    public enum Channel: String, Codable, Sendable, CaseIterable { case email, whatsapp, both, none }
    public enum RecipientType: String, Codable, Sendable, CaseIterable {
        case agentSelf = "agent_self", supervisor, customEmail = "custom_email"
    }

    public var id: Int64?
    public var bid: String
    public var notificationType: Kind
    public var channel: Channel
    public var recipientType: RecipientType
    public var customEmail: String?
    /// Local time of day `HH:MM` for digests.
    public var sendTime: String
    /// Comma-separated three-letter days, e.g. `mon,tue,wed,thu,fri`.
    public var sendDays: String
    /// IANA zone of `send_time` and of the digest's day.
    public var timezone: String
    public var enabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    /// The channels this row sends on.
    public var channels: [String] {
        switch channel {
        case .email: ["email"]
        case .whatsapp: ["whatsapp"]
        case .both: ["email", "whatsapp"]
        case .none: []
        }
    }

    /// The rows a newly activated BID starts with: each agent gets their report by e-mail; each supervisor group's
    /// supervisors get the daily digest at 08:00 India time, Monday to Saturday.
    public static func defaults(bid: String, now: Date) -> [NotificationConfig] {
        [
            NotificationConfig(id: nil, bid: bid, notificationType: .agentReport, channel: .email, recipientType: .agentSelf, customEmail: nil,
                               sendTime: "08:00", sendDays: "mon,tue,wed,thu,fri,sat", timezone: "Asia/Kolkata", enabled: true,
                               createdAt: now, updatedAt: now),
            NotificationConfig(id: nil, bid: bid, notificationType: .supervisorDigest, channel: .email, recipientType: .supervisor,
                               customEmail: nil, sendTime: "08:00", sendDays: "mon,tue,wed,thu,fri,sat", timezone: "Asia/Kolkata",
                               enabled: true, createdAt: now, updatedAt: now),
        ]
    }
}
