import Foundation
import GRDB
import PCAACore

extension AppDatabase {
    // MARK: Settings and contacts

    /// The BID's enabled rows of one notification type.
    public func notificationConfigs(bid: String, kind: NotificationConfig.Kind) async throws -> [NotificationConfig] {
        try await writer.read { db in
            try NotificationConfig.filter(Column("bid") == bid && Column("notification_type") == kind.rawValue && Column("enabled") == true)
                .order(Column("id")).fetchAll(db)
        }
    }

    /// Every enabled digest schedule, across BIDs that are active.
    public func digestSchedules() async throws -> [NotificationConfig] {
        try await writer.read { db in
            try NotificationConfig.fetchAll(db, sql: """
                SELECT n.* FROM notification_config n JOIN subscriptions s ON s.bid = n.bid
                WHERE n.notification_type = 'supervisor_digest' AND n.enabled = 1 AND s.status = 'active' ORDER BY n.bid, n.id
                """)
        }
    }

    public func agentProfile(bid: String, agentID: String) async throws -> AgentProfile? {
        try await writer.read { db in try AgentProfile.filter(Column("bid") == bid && Column("agent_id") == agentID).fetchOne(db) }
    }

    /// A BID's profiles by group and id.
    public func agentProfiles(bid: String) async throws -> [AgentProfile] {
        try await writer.read { db in
            try AgentProfile.filter(Column("bid") == bid).order(Column("supervisor_group"), Column("agent_id")).fetchAll(db)
        }
    }

    /// The supervisors of a group (role `supervisor`, same `supervisor_group`).
    public func supervisors(bid: String, group: String) async throws -> [AgentProfile] {
        try await writer.read { db in
            try AgentProfile.filter(Column("bid") == bid && Column("supervisor_group") == group && Column("role") == AgentProfile.Role.supervisor.rawValue)
                .order(Column("agent_id")).fetchAll(db)
        }
    }

    /// Inserts or replaces an agent's profile (matched by BID and agent id).
    public func saveAgentProfile(_ profile: AgentProfile) async throws {
        try await writer.write { db in
            var profile = profile
            if let existing = try AgentProfile.filter(Column("bid") == profile.bid && Column("agent_id") == profile.agentId).fetchOne(db) {
                profile.id = existing.id
                profile.createdAt = existing.createdAt
            }
            try profile.save(db)
        }
    }

    // MARK: Delivery log

    /// The log row of an idempotency key, if any.
    public func notification(key: String) async throws -> NotificationRecord? {
        try await writer.read { db in try NotificationRecord.filter(Column("idempotency_key") == key).fetchOne(db) }
    }

    /// Writes delivery outcomes to the log (inside the caller's transaction): a new row per key, or the existing one
    /// updated with one more attempt. A `sent` row is never turned back into a failure.
    public static func recordDeliveries(_ db: Database, _ entries: [DeliveryLogEntry], now: Date = Date()) throws {
        for entry in entries {
            var row = try NotificationRecord.filter(Column("idempotency_key") == entry.key).fetchOne(db) ?? NotificationRecord(
                id: nil, bid: entry.bid, callid: entry.callid, kind: entry.kind, channel: entry.channel, recipient: entry.recipient,
                idempotencyKey: entry.key, status: .failed, providerMessageId: nil, detail: nil, attempts: 0, error: nil, createdAt: now,
                updatedAt: now, sentAt: nil)
            if row.status == .sent { continue }
            row.attempts += 1
            row.updatedAt = now
            if let receipt = entry.receipt {
                row.status = .sent
                row.providerMessageId = receipt.providerMessageID
                row.detail = receipt.detail
                row.error = nil
                row.sentAt = now
            } else {
                row.status = .failed
                row.error = entry.error
            }
            try row.save(db)
        }
    }

    /// ``recordDeliveries(_:_:now:)`` in a transaction of its own.
    public func recordDeliveries(_ entries: [DeliveryLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await writer.write { db in try Self.recordDeliveries(db, entries) }
    }

    /// The delivery log of one call.
    public func notifications(bid: String, callid: String) async throws -> [NotificationRecord] {
        try await writer.read { db in
            try NotificationRecord.filter(Column("bid") == bid && Column("callid") == callid).order(Column("id")).fetchAll(db)
        }
    }

    // MARK: Digest periods and alert cooldowns

    /// The status of a group's digest for a period (`pending`, `sent`, `no_recipient`), nil when never attempted.
    public func digestRunStatus(bid: String, group: String, period: String) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM digest_runs WHERE bid = ? AND group_name = ? AND period = ?",
                                arguments: [bid, group, period])
        }
    }

    /// Records what became of a group's digest for a period; `sent` and `no_recipient` end it for good.
    public func recordDigestRun(bid: String, group: String, period: String, status: String, calls: Int, now: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO digest_runs (bid, group_name, period, status, calls, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (bid, group_name, period) DO UPDATE SET status = excluded.status, calls = excluded.calls
                """, arguments: [bid, group, period, status, calls, DatabaseTimestamp(now)])
        }
    }

    /// Raises an alert's persistent cooldown: true when the last alert of this kind and scope is older than
    /// `cooldown` (or there is none), and records `now`; false counts the repeat as suppressed. Returns the number of
    /// repeats suppressed since the last alert when raised.
    public func passAlertCooldown(kind: String, scope: String, cooldown: TimeInterval, now: Date = Date()) async throws -> (raised: Bool, suppressed: Int) {
        try await writer.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT last_raised_at, suppressed FROM alert_state WHERE kind = ? AND scope = ?",
                                       arguments: [kind, scope])
            if let row, let last = row["last_raised_at"] as Date?, now.timeIntervalSince(last) < cooldown {
                try db.execute(sql: "UPDATE alert_state SET suppressed = suppressed + 1 WHERE kind = ? AND scope = ?", arguments: [kind, scope])
                return (false, 0)
            }
            let suppressed: Int = row?["suppressed"] ?? 0
            try db.execute(sql: """
                INSERT INTO alert_state (kind, scope, last_raised_at, suppressed) VALUES (?, ?, ?, 0)
                ON CONFLICT (kind, scope) DO UPDATE SET last_raised_at = excluded.last_raised_at, suppressed = 0
                """, arguments: [kind, scope, DatabaseTimestamp(now)])
            return (true, suppressed)
        }
    }
}

extension AppDatabase {
    /// A BID's pipeline settings.
    public func bidConfig(bid: String) async throws -> BidConfig? {
        try await writer.read { db in try BidConfig.filter(Column("bid") == bid).fetchOne(db) }
    }
}

extension AppDatabase {
    /// Every notification row of a BID (enabled or not).
    public func allNotificationConfigs(bid: String) async throws -> [NotificationConfig] {
        try await writer.read { db in try NotificationConfig.filter(Column("bid") == bid).order(Column("notification_type"), Column("id")).fetchAll(db) }
    }

    /// Inserts or updates a notification row (matched by id when it has one).
    public func saveNotificationConfig(_ config: NotificationConfig) async throws {
        try await writer.write { db in
            var row = config
            row.updatedAt = Date()
            try row.save(db)
        }
    }
}
