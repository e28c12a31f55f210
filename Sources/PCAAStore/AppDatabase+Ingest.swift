import Foundation
import GRDB
import PCAACore

/// The answer to a `call.completed` webhook once it is stored.
public enum IngestOutcome: Sendable, Equatable {
    /// Stored and its `transcribe` job enqueued.
    case queued
    /// Stored, not eligible for processing (reason like `not_answered` or `too_short`).
    case skipped(reason: String)
    /// This (bid, callid) was already received; nothing new was written besides the log row.
    case duplicate
    /// The BID is unknown or not active at commit time.
    case inactive(SubscriptionStatus?)
}

extension AppDatabase {
    /// Seed §5.4 in one transaction: re-check the subscription, deduplicate, store the call, log the webhook and
    /// enqueue `transcribe` for eligible calls. Concurrent duplicates are serialised by SQLite's single writer.
    public func ingestCall(_ event: CallCompletedEvent, payload: String, maxAttempts: Int, now: Date) async throws -> IngestOutcome {
        try await committer.write { db in
            // Narrow cached statements: this runs for every webhook on the single writer.
            let status = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM subscriptions WHERE bid = ?"), arguments: [event.bid])
                .flatMap(SubscriptionStatus.init(rawValue:))
            guard status == .active else {
                try Self.insertWebhookLog(db, event: event, payload: payload, queued: false, status: 403,
                                          reason: "bid_\(status?.rawValue ?? "unknown")", now: now)
                return .inactive(status)
            }
            let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM calls WHERE bid = ? AND callid = ?"),
                                           arguments: [event.bid, event.callid]) ?? false
            if exists {
                try Self.insertWebhookLog(db, event: event, payload: payload, queued: false, status: 200, reason: "duplicate", now: now)
                return .duplicate
            }
            let settings = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT min_call_duration_s, pipeline_enabled FROM bid_config WHERE bid = ?"), arguments: [event.bid]
            )
            let skipReason = Self.skipReason(event, minimumSeconds: settings?["min_call_duration_s"] ?? 0,
                                             pipelineEnabled: settings?["pipeline_enabled"] ?? true)
            try Self.insertCall(db, event: event, skipReason: skipReason, now: now)
            try CallTransitions.log(db, bid: event.bid, callid: event.callid, stage: "received", status: "success", now: now)
            if let skipReason {
                try CallTransitions.log(db, bid: event.bid, callid: event.callid, stage: "skipped", status: skipReason, now: now)
                try Self.insertWebhookLog(db, event: event, payload: payload, queued: false, status: 200, reason: skipReason, now: now)
                return .skipped(reason: skipReason)
            }
            try JobQueue.enqueue(db, stage: .transcribe, bid: event.bid, callid: event.callid, maxAttempts: maxAttempts, now: now)
            try CallTransitions.log(db, bid: event.bid, callid: event.callid, stage: "queued", status: "success", now: now)
            try Self.insertWebhookLog(db, event: event, payload: payload, queued: true, status: 200, reason: nil, now: now)
            return .queued
        }
    }

    private static func insertCall(_ db: Database, event: CallCompletedEvent, skipReason: String?, now: Date) throws {
        let stamp = DatabaseTimestamp(now)
        try db.cachedStatement(sql: """
            INSERT INTO calls (bid, callid, agent_name, agent_id, agent_email, agent_phone, customer_phone, call_starttime, call_endtime,
                duration_seconds, call_status, direction, recording_url, group_name, processing_state, skip_reason,
                webhook_received_at, state_changed_at, completed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                event.bid, event.callid, event.agentName, event.agentID, event.agentEmail, event.agentPhone, event.customerPhone,
                event.callStartTime.map(DatabaseTimestamp.init), event.callEndTime.map(DatabaseTimestamp.init), event.durationSeconds,
                event.callStatus, event.direction, event.recordingURL, event.groupName,
                (skipReason == nil ? ProcessingState.queued : .skipped).rawValue, skipReason, stamp, stamp, skipReason == nil ? nil : stamp,
            ])
    }

    private static func insertWebhookLog(
        _ db: Database, event: CallCompletedEvent, payload: String, queued: Bool, status: Int, reason: String?, now: Date
    ) throws {
        try db.cachedStatement(sql: """
            INSERT INTO webhook_log (bid, event_type, callid, payload, signature_valid, queued, http_status, skip_reason, received_at)
            VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)
            """).execute(arguments: [event.bid, CallCompletedEvent.eventName, event.callid, payload, queued, status, reason, DatabaseTimestamp(now)])
    }

    /// Records a webhook that was refused before it reached `ingestCall` (bad JSON, signature, size, fields).
    public func logWebhook(_ entry: WebhookLogEntry) async throws {
        try await committer.write { db in
            let row = entry
            try row.insert(db)
        }
    }

    /// Why a call is not processed, or nil when it is eligible.
    static func skipReason(_ event: CallCompletedEvent, minimumSeconds: Int, pipelineEnabled: Bool) -> String? {
        if event.callStatus != "ANSWER" { return "not_answered" }
        if event.durationSeconds < minimumSeconds { return "too_short" }
        if !pipelineEnabled { return "pipeline_disabled" }
        return nil
    }
}
