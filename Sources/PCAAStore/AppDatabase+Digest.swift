import Foundation
import GRDB
import PCAACore

/// One call as a team digest or an agent's report list reads it.
public struct DigestRow: Sendable {
    public var callid: String
    public var agentID: String?
    public var agentName: String?
    /// The agent's supervisor group: their profile's `supervisor_group`, else the call's `group_name`, else `unassigned`.
    public var group: String
    public var processingState: ProcessingState
    public var callTime: Date
    public var analysis: AnalysisRecord?
}

extension AppDatabase {
    public static let unassignedGroup = "unassigned"

    /// A BID's calls with a call time in [from, before), with their group and analysis; `group` narrows to one group.
    public func digestRows(bid: String, from: Date, before: Date, group: String? = nil) async throws -> [DigestRow] {
        try await writer.read { db in
            let time = "COALESCE(c.call_starttime, c.webhook_received_at)"
            let groupExpression = "COALESCE(p.supervisor_group, c.group_name, '\(Self.unassignedGroup)')"
            var sql = """
                SELECT c.callid, c.agent_id, c.agent_name, c.processing_state, \(time) AS call_time, \(groupExpression) AS grp, a.*
                FROM calls c
                LEFT JOIN agent_profiles p ON p.bid = c.bid AND p.agent_id = c.agent_id
                LEFT JOIN analyses a ON a.call_id = c.id
                WHERE c.bid = ? AND \(time) >= ? AND \(time) < ?
                """
            var arguments: StatementArguments = [bid, DatabaseTimestamp.string(from), DatabaseTimestamp.string(before)]
            if let group {
                sql += " AND \(groupExpression) = ?"
                arguments += [group]
            }
            sql += " ORDER BY \(time), c.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let hasAnalysis = (row["call_id"] as Int64?) != nil
                return DigestRow(
                    callid: row["callid"], agentID: row["agent_id"], agentName: row["agent_name"], group: row["grp"],
                    processingState: ProcessingState(rawValue: row["processing_state"]) ?? .received, callTime: row["call_time"],
                    analysis: hasAnalysis ? try AnalysisRecord(row: row) : nil)
            }
        }
    }
}
