import Foundation
import Hummingbird
import PCAACore
import PCAAStore

/// Pipeline status and operations: `GET /pipeline/{bid}/status` (and its `/ops/…` twin),
/// `POST /ops/pipeline/{bid}/retry-failed`, `GET /ops/pipeline/health`, `GET /ops/pipeline/stuck-calls`.
struct PipelineController<Context: RequestContext> {
    let environment: HTTPEnvironment

    func addRoutes(pipeline: RouterGroup<Context>, ops: RouterGroup<Context>) {
        pipeline.get(":bid/status", use: status)
        ops.get("pipeline/:bid/status", use: status)
        ops.post("pipeline/:bid/retry-failed", use: retryFailed)
        ops.get("pipeline/health", use: health)
        ops.get("pipeline/stuck-calls", use: stuckCalls)
    }

    struct StatusBody: Encodable {
        let bid: String
        let subscriptionStatus: String
        let total: Int
        let nonTerminal: Int
        let counts: [String: Int]
        let jobs: [String: [String: Int]]
    }

    @Sendable func status(request: Request, context: Context) async throws -> Response {
        let bid = try Self.bid(context)
        guard let subscription = try await environment.database.subscription(bid: bid) else { throw APIError.notFound }
        let counts = try await environment.database.stateCounts(bid: bid)
        let depths = try await environment.queue.depths(bid: bid)
        return try JSONResponse.make(StatusBody(
            bid: bid, subscriptionStatus: subscription.status.rawValue, total: counts.values.reduce(0, +),
            nonTerminal: counts.filter { !$0.key.isTerminal }.values.reduce(0, +),
            counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            jobs: Self.render(depths)
        ))
    }

    @Sendable func retryFailed(request: Request, context: Context) async throws -> Response {
        let bid = try Self.bid(context)
        guard try await environment.database.subscription(bid: bid) != nil else { throw APIError.notFound }
        let count = try await environment.queue.retryFailed(bid: bid)
        environment.logger.notice("retry_failed_requested", metadata: ["bid": "\(bid)", "requeued": .stringConvertible(count)])
        return try JSONResponse.make(RequeuedBody(bid: bid, requeued: count))
    }

    @Sendable func health(request: Request, context: Context) async throws -> Response {
        let integrity = (try? await environment.database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }) ?? "unreadable"
        let depths = try await environment.queue.depths()
        return try JSONResponse.make(HealthBody(status: integrity == "ok" ? "ok" : "degraded", version: PCAAVersion.current,
                                            database: integrity, queue: Self.render(depths)))
    }

    @Sendable func stuckCalls(request: Request, context: Context) async throws -> Response {
        let minutes = request.uri.queryParameters.get("minutes", as: Int.self) ?? 30
        let calls = try await environment.database.stuckCalls(olderThan: Date().addingTimeInterval(-Double(max(1, minutes)) * 60))
        return try JSONResponse.make(calls.map { StuckCallBody(bid: $0.bid, callid: $0.callid, processingState: $0.processingState.rawValue,
                                                      stateChangedAt: $0.stateChangedAt) })
    }

    static func bid(_ context: Context) throws -> String {
        let bid = context.parameters.get("bid") ?? ""
        if let problem = SafeIdentifier.bidProblem(bid) {
            throw APIError(.unprocessableContent, code: "invalid_fields", message: "invalid fields: bid", fields: [FieldError(field: "bid", reason: problem)])
        }
        return bid
    }

    static func render(_ depths: [Stage: [Job.State: Int]]) -> [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        for stage in Stage.allCases {
            let states = depths[stage] ?? [:]
            result[stage.rawValue] = ["ready": states[.ready] ?? 0, "running": states[.running] ?? 0, "dead": states[.dead] ?? 0]
        }
        return result
    }
}
