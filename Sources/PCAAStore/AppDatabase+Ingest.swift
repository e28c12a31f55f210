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
            let subscription = try Subscription.filter(Column("bid") == event.bid).fetchOne(db)
            func logWebhook(queued: Bool, status: Int, reason: String?) throws {
                let entry = WebhookLogEntry(
                    bid: event.bid, eventType: CallCompletedEvent.eventName, callid: event.callid, payload: payload,
                    signatureValid: true, queued: queued, httpStatus: status, skipReason: reason, receivedAt: now
                )
                try entry.insert(db)
            }
            guard let subscription, subscription.status == .active else {
                try logWebhook(queued: false, status: 403, reason: "bid_\(subscription?.status.rawValue ?? "unknown")")
                return .inactive(subscription?.status)
            }
            let exists = try Call.filter(Column("bid") == event.bid && Column("callid") == event.callid).fetchCount(db) > 0
            if exists {
                try logWebhook(queued: false, status: 200, reason: "duplicate")
                return .duplicate
            }
            let config = try BidConfig.filter(Column("bid") == event.bid).fetchOne(db)
            let skipReason = Self.skipReason(event, config: config)

            let call = Call(
                id: nil, bid: event.bid, callid: event.callid, agentName: event.agentName, agentId: event.agentID,
                agentEmail: event.agentEmail, agentPhone: event.agentPhone, customerPhone: event.customerPhone,
                callStarttime: event.callStartTime, callEndtime: event.callEndTime, durationSeconds: event.durationSeconds,
                callStatus: event.callStatus, direction: event.direction, recordingUrl: event.recordingURL,
                groupName: event.groupName, processingState: skipReason == nil ? .queued : .skipped, skipReason: skipReason,
                lastError: nil, audioPath: nil, audioDurationS: nil, audioSampleRate: nil, audioChannels: nil,
                webhookReceivedAt: now, stateChangedAt: now, completedAt: skipReason == nil ? nil : now
            )
            try call.insert(db)
            try CallTransitions.log(db, bid: event.bid, callid: event.callid, stage: "received", status: "success", now: now)
            if let skipReason {
                try CallTransitions.log(db, bid: event.bid, callid: event.callid, stage: "skipped", status: skipReason, now: now)
                try logWebhook(queued: false, status: 200, reason: skipReason)
                return .skipped(reason: skipReason)
            }
            try JobQueue.enqueue(db, stage: .transcribe, bid: event.bid, callid: event.callid, maxAttempts: maxAttempts, now: now)
            try CallTransitions.log(db, bid: event.bid, callid: event.callid, stage: "queued", status: "success", now: now)
            try logWebhook(queued: true, status: 200, reason: nil)
            return .queued
        }
    }

    /// Records a webhook that was refused before it reached `ingestCall` (bad JSON, signature, size, fields).
    public func logWebhook(_ entry: WebhookLogEntry) async throws {
        try await committer.write { db in
            let row = entry
            try row.insert(db)
        }
    }

    /// Why a call is not processed, or nil when it is eligible.
    static func skipReason(_ event: CallCompletedEvent, config: BidConfig?) -> String? {
        if event.callStatus != "ANSWER" { return "not_answered" }
        let minimum = config?.minCallDurationS ?? 0
        if event.durationSeconds < minimum { return "too_short" }
        if config?.pipelineEnabled == false { return "pipeline_disabled" }
        return nil
    }
}
