import Foundation
import GRDB
import PCAACore

/// What an activation or deactivation event did.
public enum SubscriptionChange: Sendable, Equatable {
    /// Applied; `created` when the BID was new.
    case applied(Subscription, created: Bool)
    /// Older than the event already applied; nothing changed.
    case stale(Subscription)
}

/// A BID's status and the secrets that currently verify its call webhooks.
public struct WebhookGate: Sendable, Equatable {
    public let status: SubscriptionStatus
    public let secrets: [String]
}

extension AppDatabase {
    /// Applies `pcaa.activated` (seed §6.2): creates or reactivates the subscription, provisions `bid_config`
    /// and the quality template when missing. An event older than the last applied one changes nothing.
    public func activate(_ event: BIDActivatedEvent, defaults: PCAAConfig.Defaults, now: Date, source: String = "webhook") async throws -> SubscriptionChange {
        try await writer.write { db in
            let eventTime = event.occurredAt ?? now
            let existing = try Subscription.filter(Column("bid") == event.bid).fetchOne(db)
            if let stale = try Self.staleGuard(db, existing: existing, bid: event.bid, eventTime: eventTime, kind: "activation", now: now) {
                return stale
            }
            var subscription = existing ?? Self.newSubscription(bid: event.bid, status: .active, eventTime: eventTime, now: now)
            subscription.businessName = event.businessName ?? subscription.businessName
            subscription.plan = event.plan
            subscription.status = .active
            subscription.statusReason = nil
            subscription.activatedAt = subscription.activatedAt ?? event.activatedAt ?? now
            subscription.paidUntil = event.paidUntil ?? subscription.paidUntil
            subscription.statusChangedAt = eventTime
            subscription.updatedAt = now
            try subscription.save(db)
            let template = event.template ?? defaults.qualityTemplate
            try provision(db, bid: event.bid, defaults: defaults, template: template, now: now)
            try CallTransitions.log(db, bid: event.bid, callid: nil, stage: "subscription",
                                    status: existing == nil ? "activated" : "reactivated", workerID: source, now: now)
            return .applied(subscription, created: existing == nil)
        }
    }

    /// Applies `pcaa.deactivated` (seed §6.3). Unknown BIDs get a tombstone row so a delayed, older activation cannot
    /// switch them on. Queued jobs keep running; new webhooks get 403.
    public func deactivate(_ event: BIDDeactivatedEvent, now: Date, source: String = "webhook") async throws -> SubscriptionChange {
        try await writer.write { db in
            let eventTime = event.occurredAt ?? now
            let existing = try Subscription.filter(Column("bid") == event.bid).fetchOne(db)
            if let stale = try Self.staleGuard(db, existing: existing, bid: event.bid, eventTime: eventTime, kind: "deactivation", now: now) {
                return stale
            }
            var subscription = existing ?? Self.newSubscription(bid: event.bid, status: event.status, eventTime: eventTime, now: now)
            subscription.status = event.status
            subscription.statusReason = event.reason
            subscription.statusChangedAt = eventTime
            subscription.updatedAt = now
            try subscription.save(db)
            try CallTransitions.log(db, bid: event.bid, callid: nil, stage: "subscription", status: event.status.rawValue,
                                    workerID: source, error: event.reason, now: now)
            return .applied(subscription, created: existing == nil)
        }
    }

    /// Issues a new webhook secret; the old one keeps verifying for `graceHours`.
    public func rotateSecret(bid: String, graceHours: Int, now: Date) async throws -> Subscription? {
        try await writer.write { db in
            guard var subscription = try Subscription.filter(Column("bid") == bid).fetchOne(db) else { return nil }
            subscription.previousWebhookSecret = subscription.webhookSecret
            subscription.previousSecretExpiresAt = now.addingTimeInterval(Double(graceHours) * 3600)
            subscription.webhookSecret = SecretGenerator.webhookSecret()
            subscription.updatedAt = now
            try subscription.update(db)
            try CallTransitions.log(db, bid: bid, callid: nil, stage: "subscription", status: "secret_rotated", now: now)
            return subscription
        }
    }

    public func subscription(bid: String) async throws -> Subscription? {
        try await writer.read { db in try Subscription.filter(Column("bid") == bid).fetchOne(db) }
    }

    /// What verifying a call webhook needs about its BID: the status and the secrets valid at `now`.
    /// A narrow cached read, as it runs for every webhook.
    public func webhookGate(bid: String, now: Date) async throws -> WebhookGate? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT status, webhook_secret, previous_webhook_secret, previous_secret_expires_at FROM subscriptions WHERE bid = ?
                """), arguments: [bid]), let status = SubscriptionStatus(rawValue: row["status"]) else { return nil }
            var secrets: [String] = [row["webhook_secret"]]
            if let previous: String = row["previous_webhook_secret"], let expires: Date = row["previous_secret_expires_at"], expires > now {
                secrets.append(previous)
            }
            return WebhookGate(status: status, secrets: secrets)
        }
    }

    public func subscriptions() async throws -> [Subscription] {
        try await writer.read { db in try Subscription.order(Column("bid")).fetchAll(db) }
    }

    /// `.stale` (and a log row) when an event older than the last applied change arrives; nil when it applies.
    private static func staleGuard(
        _ db: Database, existing: Subscription?, bid: String, eventTime: Date, kind: String, now: Date
    ) throws -> SubscriptionChange? {
        guard let existing, eventTime < existing.statusChangedAt else { return nil }
        try CallTransitions.log(db, bid: bid, callid: nil, stage: "subscription", status: "\(kind)_ignored_stale",
                                error: "event time \(Timestamp.iso8601(eventTime)) is older than the applied change", now: now)
        return .stale(existing)
    }

    private static func newSubscription(bid: String, status: SubscriptionStatus, eventTime: Date, now: Date) -> Subscription {
        Subscription(
            id: nil, bid: bid, businessName: nil, plan: "standard", status: status, statusReason: nil, activatedAt: nil, paidUntil: nil,
            statusChangedAt: eventTime, webhookSecret: SecretGenerator.webhookSecret(), previousWebhookSecret: nil,
            previousSecretExpiresAt: nil, createdAt: now, updatedAt: now
        )
    }

    /// Creates the BID's pipeline config and rubric when they do not exist yet; never overwrites edits.
    private func provision(_ db: Database, bid: String, defaults: PCAAConfig.Defaults, template: String, now: Date) throws {
        if try BidConfig.filter(Column("bid") == bid).fetchCount(db) == 0 {
            try BidConfig(
                bid: bid, pipelineEnabled: true, sttProvider: defaults.sttProvider, analyzer: defaults.analyzer,
                notifier: defaults.notifier, language: defaults.language, minCallDurationS: defaults.minCallDurationSeconds,
                channelMap: defaults.channelMap, firstSpeaker: defaults.firstSpeaker, redactPii: defaults.redactPII, objectionThemes: nil, qualityTemplate: template, passThreshold: 70, hotRetentionDays: 90,
                warmRetentionDays: 365, archiveAudio: false, createdAt: now, updatedAt: now
            ).insert(db)
        }
        if try NotificationConfig.filter(Column("bid") == bid).fetchCount(db) == 0 {
            for row in NotificationConfig.defaults(bid: bid, now: now) { try row.insert(db) }
        }
        if try QualityParameter.filter(Column("bid") == bid).fetchCount(db) == 0 {
            try Self.insertTemplate(db, bid: bid, template: template, now: now)
        }
    }

    /// Writes a quality template's items as the BID's rubric rows.
    static func insertTemplate(_ db: Database, bid: String, template: String, now: Date) throws {
        for (position, item) in QualityTemplates.template(named: template).enumerated() {
            let parameter = QualityParameter(
                id: nil, bid: bid, name: item.name, description: item.description, weight: item.weight,
                cuePhrases: String(decoding: try JSONEncoder().encode(item.cuePhrases), as: UTF8.self),
                autoFail: item.autoFail, kind: item.kind.rawValue, speaker: SpeakerRole.agent.rawValue, window: item.window.rawValue,
                position: position, enabled: true, createdAt: now, updatedAt: now
            )
            try parameter.insert(db)
        }
    }
}
