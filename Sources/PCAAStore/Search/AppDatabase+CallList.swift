import Foundation
import GRDB
import PCAACore

extension AppDatabase {
    /// One page of a BID's calls matching `query`, newest first, with keyset pagination: a page costs the same
    /// whether it is the first or the thousandth, and calls arriving meanwhile never shift or repeat rows.
    public func listCalls(_ query: CallListQuery) async throws -> CallListPage {
        let limit = max(1, min(CallListQuery.maxLimit, query.limit))
        let time = "COALESCE(c.call_starttime, c.webhook_received_at)"
        var joins = "LEFT JOIN analyses a ON a.call_id = c.id"
        var conditions = ["c.bid = ?"]
        var arguments: StatementArguments = []
        var snippet = "NULL"
        if let search = query.search {
            // The MATCH argument goes first: the join's placeholder precedes the WHERE clause's.
            joins += " JOIN transcripts_fts f ON f.rowid = c.id AND transcripts_fts MATCH ?"
            arguments += [search.expression]
            snippet = "snippet(transcripts_fts, 0, '«', '»', '…', 12)"
        }
        arguments += [query.bid]
        if let agentID = query.agentID {
            conditions.append("c.agent_id = ?")
            arguments += [agentID]
        }
        if let agent = query.agent {
            conditions.append("(c.agent_id = ? OR c.agent_name = ? COLLATE NOCASE)")
            arguments += [agent, agent]
        }
        if let from = query.from {
            conditions.append("\(time) >= ?")
            arguments += [DatabaseTimestamp.string(from)]
        }
        if let before = query.before {
            conditions.append("\(time) < ?")
            arguments += [DatabaseTimestamp.string(before)]
        }
        if !query.states.isEmpty {
            conditions.append("c.processing_state IN (\(query.states.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(query.states.map(\.rawValue))
        }
        if let minScore = query.minScore {
            conditions.append("a.total_score >= ?")
            arguments += [minScore]
        }
        if let maxScore = query.maxScore {
            conditions.append("a.total_score <= ?")
            arguments += [maxScore]
        }
        if let passed = query.passed {
            conditions.append("a.passed = ?")
            arguments += [passed]
        }
        if let after = query.after {
            conditions.append("(\(time) < ? OR (\(time) = ? AND c.id < ?))")
            arguments += [after.time, after.time, after.id]
        }
        arguments += [limit + 1]
        let sql = """
            SELECT c.id, c.callid, c.agent_id, c.agent_name, c.customer_phone, c.direction, c.call_status, c.duration_seconds,
                   \(time) AS call_time, c.processing_state, a.total_score, a.passed, a.analyzer, \(snippet) AS snippet
            FROM calls c \(joins)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(time) DESC, c.id DESC
            LIMIT ?
            """
        let bound = arguments
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: bound)
            var items: [CallListItem] = []
            var lastTime = ""
            for row in rows.prefix(limit) {
                lastTime = row["call_time"]
                items.append(CallListItem(
                    id: row["id"], callid: row["callid"], agentID: row["agent_id"], agentName: row["agent_name"],
                    customerPhone: row["customer_phone"], direction: row["direction"], callStatus: row["call_status"],
                    durationSeconds: row["duration_seconds"], callTime: row["call_time"],
                    processingState: ProcessingState(rawValue: row["processing_state"]) ?? .received,
                    totalScore: row["total_score"], passed: row["passed"], analyzer: row["analyzer"], snippet: row["snippet"]))
            }
            let next = rows.count > limit ? items.last.map { CallListCursor(time: lastTime, id: $0.id) } : nil
            return CallListPage(items: items, nextCursor: next)
        }
    }
}
