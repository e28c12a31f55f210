import Foundation
import GRDB
import PCAACore

/// Moves a call to a new `processing_state` and writes the matching `processing_log` row, in the caller's transaction.
public enum CallTransitions {
    public static func move(
        _ db: Database, bid: String, callid: String, to state: ProcessingState, stage: String, status: String,
        workerID: String? = nil, attempt: Int? = nil, durationMs: Int? = nil, error: String? = nil, now: Date
    ) throws {
        try db.cachedStatement(sql: """
            UPDATE calls SET processing_state = ?, state_changed_at = ?,
                completed_at = CASE WHEN ? THEN ? ELSE NULL END,
                last_error = COALESCE(?, CASE WHEN ? THEN last_error ELSE NULL END)
            WHERE bid = ? AND callid = ?
            """).execute(arguments: [state.rawValue, DatabaseTimestamp(now), state.isTerminal, DatabaseTimestamp(now), error, state.isFailed, bid, callid])
        try log(db, bid: bid, callid: callid, stage: stage, status: status, workerID: workerID, attempt: attempt,
                durationMs: durationMs, error: error, now: now)
    }

    /// A `processing_log` row without a state change (BID events, retries scheduled, leases lost).
    public static func log(
        _ db: Database, bid: String, callid: String?, stage: String, status: String, workerID: String? = nil,
        attempt: Int? = nil, durationMs: Int? = nil, error: String? = nil, now: Date
    ) throws {
        try db.cachedStatement(sql: """
            INSERT INTO processing_log (bid, callid, stage, status, worker_id, attempt, duration_ms, error_message, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [bid, callid, stage, status, workerID, attempt, durationMs, error.map { String($0.prefix(2000)) }, DatabaseTimestamp(now)])
    }
}
