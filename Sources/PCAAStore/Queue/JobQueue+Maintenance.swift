import Foundation
import GRDB
import PCAACore

extension JobQueue {
    /// What one rescuer pass did.
    public struct RescueReport: Sendable, Equatable {
        public var requeued: [Job] = []
        public var buried: [Job] = []
    }

    /// Returns jobs whose lease expired (their worker died or hung) to `ready`; a job that already used all its
    /// attempts goes `dead`, so a recording that crashes the process cannot loop forever.
    public func rescueExpiredLeases(now: Date = Date()) async throws -> RescueReport {
        try await database.writer.write { db in
            let expired = try Job.fetchAll(
                db, sql: "SELECT * FROM jobs WHERE state = 'running' AND lease_until < ? ORDER BY id", arguments: [now]
            )
            var report = RescueReport()
            for job in expired {
                let error = "lease expired on attempt \(job.attempt) (worker \(job.workerId ?? "?") stopped or hung)"
                if job.attempt >= job.maxAttempts {
                    try Self.bury(db, job: job, error: error, workerID: job.workerId, durationMs: nil, now: now)
                    report.buried.append(job)
                } else {
                    try db.execute(
                        sql: """
                            UPDATE jobs SET state = 'ready', run_at = ?, lease_until = NULL, worker_id = NULL, last_error = ?, updated_at = ?
                            WHERE id = ?
                            """,
                        arguments: [now, error, now, job.id]
                    )
                    try CallTransitions.move(db, bid: job.bid, callid: job.callid, to: job.stage.queuedState, stage: job.stage.rawValue,
                                             status: "lease_expired", workerID: job.workerId, attempt: job.attempt, error: error, now: now)
                    report.requeued.append(job)
                }
            }
            return report
        }
    }

    /// `POST /ops/pipeline/{bid}/retry-failed`: every dead job of the BID becomes ready with fresh attempts.
    /// Returns how many calls were re-queued.
    public func retryFailed(bid: String, now: Date = Date()) async throws -> Int {
        try await database.writer.write { db in
            let dead = try Job.fetchAll(db, sql: "SELECT * FROM jobs WHERE bid = ? AND state = 'dead' ORDER BY id", arguments: [bid])
            for job in dead {
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'ready', attempt = 0, run_at = ?, lease_until = NULL, worker_id = NULL, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [now, now, job.id]
                )
                try CallTransitions.move(db, bid: job.bid, callid: job.callid, to: job.stage.queuedState, stage: job.stage.rawValue,
                                         status: "retry_requested", now: now)
            }
            return dead.count
        }
    }

    /// Jobs per stage and state, for health and status endpoints (all BIDs when `bid` is nil).
    public func depths(bid: String? = nil) async throws -> [Stage: [Job.State: Int]] {
        try await database.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT stage, state, COUNT(*) AS n FROM jobs WHERE (? IS NULL OR bid = ?) AND state != 'done' GROUP BY stage, state",
                arguments: [bid, bid]
            )
            var result: [Stage: [Job.State: Int]] = [:]
            for row in rows {
                guard let stage = Stage(rawValue: row["stage"]), let state = Job.State(rawValue: row["state"]) else { continue }
                result[stage, default: [:]][state] = row["n"]
            }
            return result
        }
    }
}
