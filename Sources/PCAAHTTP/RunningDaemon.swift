import Foundation
import Logging
import PCAACore
import PCAAPipeline
import PCAAStore
import ServiceLifecycle

/// A daemon started inside this process (benchmarks, tests): the same app as `pcaa serve`, listening on the
/// configured address (port 0 = any free port), stopped by a graceful shutdown instead of a signal.
public final class RunningDaemon: Sendable {
    public let database: AppDatabase
    public let environment: HTTPEnvironment
    public let faultPlan: FaultPlan?
    public let port: Int
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    /// Builds and starts the app, returning once it is listening.
    public static func start(config: PCAAConfig, providers: ProviderRegistry? = nil, logger: Logger) async throws -> RunningDaemon {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try PCAAApplication.build(config: config, providers: providers, logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = app.serviceGroup(gracefulShutdownSignals: [])
        let runner = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            runner.cancel()
            throw CancellationError()
        }
        return RunningDaemon(app: app, port: port, group: group, runner: runner)
    }

    private init(app: PCAAApplication, port: Int, group: ServiceGroup, runner: Task<Void, any Error>) {
        self.database = app.database
        self.environment = app.environment
        self.faultPlan = app.faultPlan
        self.port = port
        self.group = group
        self.runner = runner
    }

    public var baseURL: String { "http://\(environment.config.server.host):\(port)" }

    /// Graceful shutdown, as SIGTERM would do; returns once every service has stopped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
    }
}
