import Foundation
import Hummingbird
import PCAACore
import PCAAStore

extension CallRecordsController {
    struct ListBody: Encodable {
        struct Item: Encodable {
            let callid: String
            let agentId: String?
            let agentName: String?
            let customerPhone: String?
            let direction: String?
            let callStatus: String
            let durationSeconds: Int
            let callTime: Date
            let processingState: String
            let totalScore: Double?
            let passed: Bool?
            let analyzer: String?
            let snippet: String?
        }
        let bid: String
        let items: [Item]
        let limit: Int
        /// Pass as `cursor` for the next page; null on the last page.
        let nextCursor: String?

        enum CodingKeys: String, CodingKey { case bid, items, limit, nextCursor }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(bid, forKey: .bid)
            try container.encode(items, forKey: .items)
            try container.encode(limit, forKey: .limit)
            try container.encode(nextCursor, forKey: .nextCursor) // null on the last page, never left out
        }
    }

    /// `GET /call-records/{bid}`: the BID's calls, newest first, filtered and searched.
    @Sendable func list(request: Request, context: Context) async throws -> Response {
        let bid = try PipelineController<Context>.bid(context)
        var parameters: [String: String] = [:]
        var repeated: [FieldError] = []
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            // Human text may come form-encoded (`+` for a space).
            let text = name == "q" || name == "agent" ? value.replacingOccurrences(of: "+", with: " ") : String(value)
            if let earlier = parameters[name] {
                if name == "state" { parameters[name] = earlier + "," + text } else {
                    repeated.append(FieldError(field: String(name.prefix(64)), reason: "is given more than once"))
                }
            } else {
                parameters[name] = text
            }
        }
        if !repeated.isEmpty { throw APIError.invalid(ValidationErrors(repeated)) }
        let query: CallListQuery
        do { query = try CallListParameters.parse(bid: bid, parameters) } catch { throw APIError.invalid(error) }
        guard try await environment.database.subscription(bid: bid) != nil else { throw APIError.notFound }
        let page = try await environment.database.listCalls(query)
        return try JSONResponse.make(ListBody(
            bid: bid,
            items: page.items.map {
                .init(callid: $0.callid, agentId: $0.agentID, agentName: $0.agentName, customerPhone: $0.customerPhone, direction: $0.direction,
                      callStatus: $0.callStatus, durationSeconds: $0.durationSeconds, callTime: $0.callTime,
                      processingState: $0.processingState.rawValue, totalScore: $0.totalScore, passed: $0.passed, analyzer: $0.analyzer,
                      snippet: $0.snippet)
            },
            limit: query.limit, nextCursor: page.nextCursor?.token))
    }
}
