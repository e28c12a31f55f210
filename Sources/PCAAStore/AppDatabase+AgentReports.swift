import Foundation
import GRDB
import PCAACore

/// One analysed call of an agent with its analysis and how the report went out.
public struct AgentReportRow: Sendable {
    public var item: CallListItem
    public var analysis: AnalysisRecord?
    public var deliveries: [NotificationRecord]
}

extension AppDatabase {
    /// A page of an agent's analysed calls (newest first, keyset-paginated like ``listCalls(_:)``), each with its
    /// stored analysis and the delivery log of its report.
    public func agentReports(bid: String, agentID: String, limit: Int, after: CallListCursor?) async throws -> (rows: [AgentReportRow], next: CallListCursor?) {
        var query = CallListQuery(bid: bid)
        query.agentID = agentID
        query.states = [.analyzed, .notifying, .notified, .failedNotify, .archived]
        query.limit = limit
        query.after = after
        let page = try await listCalls(query)
        let ids = page.items.map(\.id)
        let (analyses, deliveries) = try await writer.read { db in
            (try AnalysisRecord.filter(ids.contains(Column("call_id"))).fetchAll(db),
             try NotificationRecord.filter(Column("bid") == bid && page.items.map(\.callid).contains(Column("callid")) && Column("kind") == "agent_report")
                .order(Column("id")).fetchAll(db))
        }
        let byCall = Dictionary(analyses.map { ($0.callId, $0) }, uniquingKeysWith: { first, _ in first })
        let sent = Dictionary(grouping: deliveries, by: { $0.callid ?? "" })
        return (page.items.map { AgentReportRow(item: $0, analysis: byCall[$0.id], deliveries: sent[$0.callid] ?? []) }, page.nextCursor)
    }
}
