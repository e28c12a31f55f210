import Foundation
import Hummingbird
import PCAACore
import PCAAStore

/// A BID's call records: `GET /call-records/{bid}` (filters, transcript search, keyset pagination; see
/// ``CallListParameters``), `GET /call-records/{bid}/{callid}` (the call, its transcript, analysis and processing
/// history) and `GET /call-records/{bid}/{callid}/coaching` (what the agent should work on, from the analysis).
struct CallRecordsController<Context: RequestContext> {
    let environment: HTTPEnvironment

    func addRoutes(to group: RouterGroup<Context>) {
        group.get(":bid", use: list)
        group.get(":bid/:callid", use: detail)
        group.get(":bid/:callid/coaching", use: coaching)
    }

    struct DetailBody: Encodable {
        struct CallBody: Encodable {
            let bid: String
            let callid: String
            let agentName: String?
            let agentId: String?
            let durationSeconds: Int
            let callStatus: String
            let direction: String?
            let processingState: String
            let skipReason: String?
            let lastError: String?
            let audioDurationS: Double?
            let webhookReceivedAt: Date
            let stateChangedAt: Date
            let completedAt: Date?
        }
        struct HistoryBody: Encodable {
            let stage: String
            let status: String
            let workerId: String?
            let attempt: Int?
            let durationMs: Int?
            let errorMessage: String?
            let createdAt: Date
        }
        let call: CallBody
        let transcript: TranscriptResult?
        let analysis: AnalysisResult?
        let history: [HistoryBody]
    }

    @Sendable func detail(request: Request, context: Context) async throws -> Response {
        let (bid, callid) = try Self.identifiers(context)
        guard let detail = try await environment.database.callDetail(bid: bid, callid: callid) else { throw APIError.notFound }
        let call = detail.call
        return try JSONResponse.make(DetailBody(
            call: .init(bid: call.bid, callid: call.callid, agentName: call.agentName, agentId: call.agentId, durationSeconds: call.durationSeconds,
                        callStatus: call.callStatus, direction: call.direction, processingState: call.processingState.rawValue,
                        skipReason: call.skipReason, lastError: call.lastError, audioDurationS: call.audioDurationS,
                        webhookReceivedAt: call.webhookReceivedAt, stateChangedAt: call.stateChangedAt, completedAt: call.completedAt),
            transcript: try detail.transcript?.result(),
            analysis: try detail.analysis?.decoded(),
            history: detail.history.map { .init(stage: $0.stage, status: $0.status, workerId: $0.workerId, attempt: $0.attempt,
                                               durationMs: $0.durationMs, errorMessage: $0.errorMessage, createdAt: $0.createdAt) }
        ))
    }

    static func identifiers(_ context: Context) throws -> (bid: String, callid: String) {
        let bid = try PipelineController<Context>.bid(context)
        let callid = context.parameters.get("callid") ?? ""
        if let problem = SafeIdentifier.callIDProblem(callid) {
            throw APIError(.unprocessableContent, code: "invalid_fields", message: "invalid fields: callid", fields: [FieldError(field: "callid", reason: problem)])
        }
        return (bid, callid)
    }
}
