import Foundation
import GRDB
import PCAACore

/// The durable job queue (DESIGN.md "Job queue semantics"): leased claims, fenced completion, backoff, dead jobs.
public struct JobQueue: Sendable {
    public let database: AppDatabase
    public let policy: RetryPolicy
    public let leaseSeconds: Double

    public init(database: AppDatabase, policy: RetryPolicy, leaseSeconds: Double) {
        self.database = database
        self.policy = policy
        self.leaseSeconds = leaseSeconds
    }

    /// Thrown when a job's lease was lost (expired and re-claimed): the result is discarded, the new holder wins.
    public struct LeaseLost: Error, Sendable, CustomStringConvertible {
        public let jobID: Int64
        public init(jobID: Int64) { self.jobID = jobID }
        public var description: String { "lease on job \(jobID) was lost; result discarded" }
    }

    // MARK: Enqueue

    /// Adds a ready job, or makes a finished/dead one ready again (fresh attempts). A running job is left alone.
    public static func enqueue(_ db: Database, stage: Stage, bid: String, callid: String, maxAttempts: Int, now: Date, runAt: Date? = nil) throws {
        try db.cachedStatement(sql: """
            INSERT INTO jobs (stage, bid, callid, state, attempt, max_attempts, run_at, created_at, updated_at)
            VALUES (?, ?, ?, 'ready', 0, ?, ?, ?, ?)
            ON CONFLICT (stage, bid, callid) DO UPDATE SET
                state = 'ready', attempt = 0, max_attempts = excluded.max_attempts, run_at = excluded.run_at,
                lease_until = NULL, worker_id = NULL, updated_at = excluded.updated_at
            WHERE jobs.state IN ('done', 'dead')
            """).execute(arguments: [stage.rawValue, bid, callid, maxAttempts, DatabaseTimestamp(runAt ?? now), DatabaseTimestamp(now), DatabaseTimestamp(now)])
    }

    // MARK: Claim

    /// Leases the next ready job of `stage` in one `UPDATE … RETURNING`. Fair across BIDs: the BID with the fewest
    /// running jobs of this stage goes first, then the one served least recently, then the oldest job.
    public func claim(stage: Stage, workerID: String, now: Date = Date()) async throws -> Job? {
        try await database.committer.write { db in try Self.claim(db, stage: stage, workerID: workerID, leaseSeconds: leaseSeconds, now: now) }
    }

    static func claim(_ db: Database, stage: Stage, workerID: String, leaseSeconds: Double, now: Date) throws -> Job? {
        guard let job = try claimStatement(db, stage: stage, workerID: workerID, leaseSeconds: leaseSeconds, now: now) else { return nil }
        try CallTransitions.move(db, bid: job.bid, callid: job.callid, to: stage.runningState, stage: stage.rawValue, status: "started",
                                 workerID: workerID, attempt: job.attempt, now: now)
        return job
    }

    private static func claimStatement(_ db: Database, stage: Stage, workerID: String, leaseSeconds: Double, now: Date) throws -> Job? {
        try Job.fetchOne(
            db.cachedStatement(sql: """
                UPDATE jobs SET state = 'running', attempt = attempt + 1, worker_id = :worker, lease_until = :lease,
                    claimed_at = :now, updated_at = :now
                WHERE id = (
                    SELECT head FROM (
                        SELECT
                            (SELECT j.id FROM jobs j
                             WHERE j.stage = :stage AND j.bid = b.bid AND j.state = 'ready' AND j.run_at <= :now
                             ORDER BY j.run_at, j.id LIMIT 1) AS head,
                            (SELECT COUNT(*) FROM jobs r
                             WHERE r.stage = :stage AND r.bid = b.bid AND r.state = 'running') AS running,
                            (SELECT MAX(c.claimed_at) FROM jobs c WHERE c.stage = :stage AND c.bid = b.bid) AS served
                        FROM subscriptions b
                    )
                    WHERE head IS NOT NULL
                    ORDER BY running, served, head
                    LIMIT 1
                )
                RETURNING *
                """),
            arguments: ["worker": workerID, "lease": DatabaseTimestamp(now.addingTimeInterval(leaseSeconds)), "now": DatabaseTimestamp(now),
                        "stage": stage.rawValue]
        )
    }

    // MARK: Settle

    /// Marks `job` done inside the caller's transaction, failing with `LeaseLost` if another worker now holds it.
    public static func markDone(_ db: Database, job: Job, now: Date) throws {
        try db.cachedStatement(sql: """
            UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = ?
            WHERE id = ? AND state = 'running' AND worker_id = ? AND attempt = ?
            """).execute(arguments: [DatabaseTimestamp(now), job.id, job.workerId, job.attempt])
        guard db.changesCount == 1 else { throw LeaseLost(jobID: job.id) }
    }

    /// Completes a stage in one transaction: fences and finishes the job, applies the stage's result, moves the
    /// call to the stage's done state (with its `processing_log` row) and enqueues the next stage.
    public static func complete(
        _ db: Database, job: Job, durationMs: Int, note: String?, maxAttempts: Int, now: Date, apply: (Database) throws -> Void = { _ in }
    ) throws {
        try markDone(db, job: job, now: now)
        try apply(db)
        try CallTransitions.move(db, bid: job.bid, callid: job.callid, to: job.stage.doneState, stage: job.stage.rawValue,
                                 status: "success", workerID: job.workerId, attempt: job.attempt, durationMs: durationMs, now: now)
        if let note {
            try CallTransitions.log(db, bid: job.bid, callid: job.callid, stage: job.stage.rawValue, status: "note",
                                    workerID: job.workerId, attempt: job.attempt, error: note, now: now)
        }
        if let next = job.stage.next {
            try enqueue(db, stage: next, bid: job.bid, callid: job.callid, maxAttempts: maxAttempts, now: now)
        }
    }

    /// Extends the lease of a job still held by this worker; false when it was lost.
    public func renewLease(_ job: Job, now: Date = Date()) async throws -> Bool {
        try await database.committer.write { db in
            try db.execute(
                sql: "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND state = 'running' AND worker_id = ? AND attempt = ?",
                arguments: [now.addingTimeInterval(leaseSeconds), now, job.id, job.workerId, job.attempt]
            )
            return db.changesCount == 1
        }
    }

    /// What happened to a failed job.
    public enum FailureOutcome: Sendable, Equatable {
        case retryScheduled(at: Date)
        case dead
        case leaseLost
    }

    /// Records a failed attempt: transient errors retry with backoff until `max_attempts`; permanent errors and
    /// exhausted retries make the job `dead` and the call `failed_*`.
    public func fail(_ job: Job, error: StageError, durationMs: Int, now: Date = Date()) async throws -> FailureOutcome {
        let delay = policy.delay(afterAttempt: job.attempt, retryAfter: error.retryAfterSeconds)
        return try await database.committer.write { db in
            let owned = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM jobs WHERE id = ? AND state = 'running' AND worker_id = ? AND attempt = ?",
                arguments: [job.id, job.workerId, job.attempt]
            ) ?? false
            guard owned else { return .leaseLost }
            let message = error.description
            if error.kind == .permanent || job.attempt >= job.maxAttempts {
                try Self.bury(db, job: job, error: message, workerID: job.workerId, durationMs: durationMs, now: now)
                return .dead
            }
            let runAt = now.addingTimeInterval(delay)
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'ready', run_at = ?, lease_until = NULL, worker_id = NULL, last_error = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [runAt, message, now, job.id]
            )
            try CallTransitions.move(
                db, bid: job.bid, callid: job.callid, to: job.stage.queuedState, stage: job.stage.rawValue, status: "retry_scheduled",
                workerID: job.workerId, attempt: job.attempt, durationMs: durationMs,
                error: "\(message); next attempt in \(Int(delay.rounded())) s", now: now
            )
            return .retryScheduled(at: runAt)
        }
    }

    /// Gives a job back without counting the attempt (graceful shutdown ran out of time).
    public func release(_ job: Job, now: Date = Date()) async throws {
        try await database.committer.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'ready', attempt = attempt - 1, run_at = ?, lease_until = NULL, worker_id = NULL, updated_at = ?
                    WHERE id = ? AND state = 'running' AND worker_id = ? AND attempt = ?
                    """,
                arguments: [now, now, job.id, job.workerId, job.attempt]
            )
            guard db.changesCount == 1 else { return }
            try CallTransitions.move(db, bid: job.bid, callid: job.callid, to: job.stage.queuedState, stage: job.stage.rawValue,
                                     status: "released", workerID: job.workerId, attempt: job.attempt, now: now)
        }
    }

    static func bury(_ db: Database, job: Job, error: String, workerID: String?, durationMs: Int?, now: Date) throws {
        try db.execute(
            sql: "UPDATE jobs SET state = 'dead', lease_until = NULL, worker_id = NULL, last_error = ?, updated_at = ? WHERE id = ?",
            arguments: [error, now, job.id]
        )
        try CallTransitions.move(
            db, bid: job.bid, callid: job.callid, to: job.stage.failedState, stage: job.stage.rawValue, status: "dead",
            workerID: workerID, attempt: job.attempt, durationMs: durationMs, error: error, now: now
        )
    }
}
