import Foundation
import GRDB
import PCAACore

/// A call with whatever the pipeline has produced for it so far.
public struct CallDetail: Sendable {
    public var call: Call
    public var transcript: TranscriptRecord?
    public var analysis: AnalysisRecord?
    public var history: [ProcessingLogEntry]
}

extension AppDatabase {
    /// Calls per `processing_state` for one BID (every state present, zero when none).
    public func stateCounts(bid: String) async throws -> [ProcessingState: Int] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT processing_state, COUNT(*) AS n FROM calls WHERE bid = ? GROUP BY processing_state", arguments: [bid]
            )
            var counts = Dictionary(uniqueKeysWithValues: ProcessingState.allCases.map { ($0, 0) })
            for row in rows {
                if let state = ProcessingState(rawValue: row["processing_state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    /// One call with its transcript, analysis and processing history.
    public func callDetail(bid: String, callid: String) async throws -> CallDetail? {
        try await writer.read { db in
            guard let call = try Call.filter(Column("bid") == bid && Column("callid") == callid).fetchOne(db), let id = call.id else {
                return nil
            }
            return CallDetail(
                call: call,
                transcript: try TranscriptRecord.filter(Column("call_id") == id).fetchOne(db),
                analysis: try AnalysisRecord.filter(Column("call_id") == id).fetchOne(db),
                history: try ProcessingLogEntry.filter(Column("bid") == bid && Column("callid") == callid).order(Column("id")).fetchAll(db)
            )
        }
    }

    /// Calls in a non-terminal state whose last change is older than `cutoff` (seed §10.3 stuck calls).
    public func stuckCalls(olderThan cutoff: Date, limit: Int = 500) async throws -> [Call] {
        let active = ProcessingState.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        return try await writer.read { db in
            try Call.filter(active.contains(Column("processing_state")) && Column("state_changed_at") < cutoff)
                .order(Column("state_changed_at")).limit(limit).fetchAll(db)
        }
    }
}

extension AppDatabase {
    /// BIDs whose last `streak` analysis outcomes (within `since`) were all failures (a retry scheduled or a dead
    /// job), with the last error (seed §10.2: analysis failing for consecutive calls).
    public func failingAnalysisStreaks(streak: Int, since: Date) async throws -> [(bid: String, lastError: String?)] {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT bid, status, error_message FROM (
                    SELECT bid, status, error_message, ROW_NUMBER() OVER (PARTITION BY bid ORDER BY id DESC) AS rn
                    FROM processing_log
                    WHERE stage = 'analyze' AND status IN ('success', 'retry_scheduled', 'dead') AND created_at >= ?
                ) WHERE rn <= ? ORDER BY bid, rn
                """, arguments: [DatabaseTimestamp(since), streak])
            var result: [(String, String?)] = []
            for (bid, outcomes) in Dictionary(grouping: rows, by: { $0["bid"] as String }).sorted(by: { $0.key < $1.key }) {
                guard outcomes.count >= streak, outcomes.allSatisfy({ ($0["status"] as String) != "success" }) else { continue }
                result.append((bid, outcomes.first?["error_message"]))
            }
            return result
        }
    }
}

extension AppDatabase {
    /// Transcription outcomes since `since`: attempts that failed (a retry scheduled or dead) and all finished
    /// attempts (seed §10.2: transcription failure rate over an hour).
    public func transcriptionOutcomes(since: Date) async throws -> (failed: Int, total: Int) {
        try await writer.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT SUM(status != 'success') AS failed, COUNT(*) AS total FROM processing_log
                WHERE stage = 'transcribe' AND status IN ('success', 'retry_scheduled', 'dead') AND created_at >= ?
                """, arguments: [DatabaseTimestamp(since)])
            return ((row?["failed"] as Int?) ?? 0, (row?["total"] as Int?) ?? 0)
        }
    }
}
