import Foundation
import GRDB
import PCAACore

/// A unit of stage work in the durable queue (the RabbitMQ replacement), unique per (stage, bid, callid).
public struct Job: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "jobs"

    /// `ready` → `running` (leased) → `done`, or `dead` when retries are exhausted or the error is permanent.
    public enum State: String, Codable, Sendable, CaseIterable { case ready, running, done, dead }

    public var id: Int64
    public var stage: Stage
    public var bid: String
    public var callid: String
    public var payload: String
    public var state: State
    /// Attempts started so far, including the one in progress.
    public var attempt: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var leaseUntil: Date?
    public var workerId: String?
    public var claimedAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
}

extension Job {
    /// Decodes by column name without Codable's key conversion: jobs are read on every claim.
    public init(row: Row) throws {
        guard let stage = Stage(rawValue: row["stage"]), let state = State(rawValue: row["state"]) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "unknown job stage or state")
        }
        self.init(
            id: row["id"], stage: stage, bid: row["bid"], callid: row["callid"], payload: row["payload"], state: state,
            attempt: row["attempt"], maxAttempts: row["max_attempts"], runAt: row["run_at"], leaseUntil: row["lease_until"],
            workerId: row["worker_id"], claimedAt: row["claimed_at"], lastError: row["last_error"], createdAt: row["created_at"],
            updatedAt: row["updated_at"]
        )
    }
}
