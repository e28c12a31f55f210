import Foundation
import Hummingbird
import PCAACore
import PCAAStore

extension CallRecordsController {
    struct CoachingBody: Encodable {
        struct Area: Encodable {
            let name: String
            let score: Double
            let maxScore: Double
            let reason: String
            let evidence: String?
            let failedCall: Bool
        }
        let bid: String
        let callid: String
        let agentId: String?
        let agentName: String?
        let totalScore: Double?
        let passed: Bool?
        let coaching: [String]
        /// Rubric items below 80 % of their weight, or that failed the call, weakest first.
        let areasToImprove: [Area]
        /// BANT elements not discussed in the call.
        let bantGaps: [String]
        let analyzer: String
        let analyzedAt: Date
    }

    /// `GET /call-records/{bid}/{callid}/coaching`: 404 `not_found` for an unknown call, 404 `not_analyzed` while
    /// the call has no analysis yet (its processing state says why).
    @Sendable func coaching(request: Request, context: Context) async throws -> Response {
        let (bid, callid) = try Self.identifiers(context)
        guard let detail = try await environment.database.callDetail(bid: bid, callid: callid) else { throw APIError.notFound }
        guard let record = detail.analysis else {
            throw APIError(.notFound, code: "not_analyzed",
                           message: "call \(callid) has no analysis yet (processing_state: \(detail.call.processingState.rawValue))")
        }
        let analysis = try record.decoded()
        let weak = analysis.areasToImprove
        let gaps = analysis.bant?.elements.filter { $0.finding.status == .notDiscussed }.map(\.name) ?? []
        return try JSONResponse.make(CoachingBody(
            bid: bid, callid: callid, agentId: detail.call.agentId, agentName: detail.call.agentName, totalScore: analysis.totalScore,
            passed: analysis.passed, coaching: analysis.coaching,
            areasToImprove: weak.map { .init(name: $0.name, score: $0.score, maxScore: $0.maxScore, reason: $0.reason, evidence: $0.evidence,
                                             failedCall: $0.failedCall == true) },
            bantGaps: gaps, analyzer: analysis.analyzer, analyzedAt: record.createdAt))
    }
}
