import Foundation
import Hummingbird
import PCAACore
import PCAADelivery
import PCAAPipeline
import PCAAStore

/// Seed §12 agent and supervisor endpoints: `GET /agents/{bid}/{agent_id}/reports` (the agent's analysed calls
/// with score, coaching and how each report was delivered; `limit`, `cursor`) and
/// `GET /supervisor/{bid}/team-report` (`date` = the local day, default yesterday; `tz`, default the BID's digest
/// time zone; `group` for one supervisor group).
struct AgentReportsController<Context: RequestContext> {
    let environment: HTTPEnvironment

    func addRoutes(agents: RouterGroup<Context>, supervisor: RouterGroup<Context>) {
        agents.get(":bid/:agent_id/reports", use: reports)
        supervisor.get(":bid/team-report", use: teamReport)
    }

    struct ReportsBody: Encodable {
        struct Delivery: Encodable {
            let channel: String
            let status: String
            let attempts: Int
            let sentAt: Date?
            let error: String?
        }
        struct Report: Encodable {
            let callid: String
            let callTime: Date
            let durationSeconds: Int
            let processingState: String
            let totalScore: Double?
            let passed: Bool?
            let coaching: [String]
            let areasToImprove: [String]
            let summary: String?
            let deliveries: [Delivery]
        }
        let bid: String
        let agentId: String
        let reports: [Report]
        let nextCursor: String?
    }

    @Sendable func reports(request: Request, context: Context) async throws -> Response {
        let bid = try PipelineController<Context>.bid(context)
        let agentID = context.parameters.get("agent_id") ?? ""
        if let problem = SafeIdentifier.callIDProblem(agentID) {
            throw APIError.invalid(ValidationErrors([FieldError(field: "agent_id", reason: problem)]))
        }
        // `limit` and `cursor` mean what they mean for the call list, and are checked the same way.
        var paging: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { paging[String(key)] = String(value) }
        let query: CallListQuery
        do { query = try CallListParameters.parse(bid: bid, paging.filter { $0.key == "limit" || $0.key == "cursor" }) } catch { throw APIError.invalid(error) }
        guard try await environment.database.subscription(bid: bid) != nil else { throw APIError.notFound }
        let page = try await environment.database.agentReports(bid: bid, agentID: agentID, limit: query.limit, after: query.after)
        let reports = try page.rows.map { row in
            let analysis = try row.analysis?.decoded()
            let weak = analysis?.areasToImprove ?? []
            return ReportsBody.Report(
                callid: row.item.callid, callTime: row.item.callTime, durationSeconds: row.item.durationSeconds,
                processingState: row.item.processingState.rawValue, totalScore: analysis?.totalScore, passed: analysis?.passed,
                coaching: analysis?.coaching ?? [], areasToImprove: weak.map(\.name), summary: analysis?.summary,
                deliveries: row.deliveries.map { .init(channel: $0.channel, status: $0.status.rawValue, attempts: $0.attempts, sentAt: $0.sentAt, error: $0.error) })
        }
        return try JSONResponse.make(ReportsBody(bid: bid, agentId: agentID, reports: reports, nextCursor: page.next?.token))
    }

    struct TeamReportBody: Encodable {
        let bid: String
        let date: String
        let timezone: String
        let teams: [TeamDigest]
    }

    @Sendable func teamReport(request: Request, context: Context) async throws -> Response {
        let bid = try PipelineController<Context>.bid(context)
        guard try await environment.database.subscription(bid: bid) != nil else { throw APIError.notFound }
        let parameters = request.uri.queryParameters
        var errors: [FieldError] = []
        let configured = try await environment.database.notificationConfigs(bid: bid, kind: .supervisorDigest).first?.timezone
        let zoneName = parameters.get("tz") ?? configured ?? "Asia/Kolkata"
        let zone = TimeZone(identifier: zoneName)
        if zone == nil { errors.append(FieldError(field: "tz", reason: "is not an IANA time zone (e.g. Asia/Kolkata, UTC)")) }
        let period = parameters.get("date") ?? zone.map { LocalDay.yesterday(in: $0) } ?? ""
        if let zone, LocalDay.bounds(of: period, in: zone) == nil {
            errors.append(FieldError(field: "date", reason: "must be a date YYYY-MM-DD"))
        }
        let group = parameters.get("group")
        if let group, group.isEmpty || group.count > 200 { errors.append(FieldError(field: "group", reason: "must be 1–200 characters")) }
        guard errors.isEmpty, let zone else { throw APIError.invalid(ValidationErrors(errors)) }
        let digests = try await DigestProducer.digests(database: environment.database, bid: bid, period: period, timeZone: zone, group: group)
        return try JSONResponse.make(TeamReportBody(bid: bid, date: period, timezone: zone.identifier, teams: digests))
    }
}
