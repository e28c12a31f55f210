import Foundation
import Hummingbird
import Logging
import NIOCore
import PCAACore
import PCAADelivery
import PCAAPipeline
import PCAASTT
import PCAAStore
import ServiceLifecycle
import UnixSignals

/// Everything `pcaa serve` runs, assembled once so tests build the very same app from a test config.
public struct PCAAApplication {
    public let application: Application<RouterResponder<BasicRequestContext>>
    public let database: AppDatabase
    public let environment: HTTPEnvironment
    /// The fault injector in force (nil when `[faults]` is off); drills clear it at run time.
    public let faultPlan: FaultPlan?

    /// Opens the store under the data directory, resolves the platform secret, and wires router and workers.
    /// `onListening` receives the bound port (useful with port 0).
    public static func build(
        config: PCAAConfig, providers: ProviderRegistry? = nil, logger: Logger = Logger(label: "webhook_receiver"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> PCAAApplication {
        try FileManager.default.createDirectory(atPath: config.storage.dataDir, withIntermediateDirectories: true)
        let database = try AppDatabase.open(config: config)
        let queue = PipelineServices.queue(config: config, database: database)
        let secret = try PlatformSecretFile.resolve(configured: config.security.platformSecret, dataDir: config.storage.dataDir)
        let alerts = AlertGate(cooldownMinutes: config.alerts.cooldownMinutes) { kind, scope, cooldown in
            try? await database.passAlertCooldown(kind: kind, scope: scope, cooldown: cooldown)
        }
        let environment = HTTPEnvironment(config: config, database: database, queue: queue, platformSecret: secret, alerts: alerts, logger: logger)
        let localEndpoint = LocalSTTEndpoint(state: config.defaults.sttProvider == "local"
            ? .starting : .unavailable("the local speech helper runs only when defaults.stt_provider = \"local\""))
        var registry = providers ?? ProviderRegistry.builtIn(config: config, localEndpoint: localEndpoint)
        if config.faults.isActive, registry.faultPlan == nil {
            registry = registry.injectingFaults(FaultPlan(config.faults))
        }
        let templates = try ReportTemplates(directory: config.notify.templatesDir)
        let services = PipelineServices.make(config: config, database: database, queue: queue, providers: registry, alerts: alerts,
                                             templates: templates,
                                             localEndpoint: providers == nil ? localEndpoint : nil)

        let application = Application(
            router: buildRouter(environment),
            configuration: .init(address: .hostname(config.server.host, port: config.server.port), serverName: "pcaa/\(PCAAVersion.current)"),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.server.port
                logger.notice("listening", metadata: ["address": "\(config.server.host):\(port)", "version": "\(PCAAVersion.current)"])
                await onListening(port)
            },
            logger: logger
        )
        return PCAAApplication(application: application, database: database, environment: environment, faultPlan: registry.faultPlan)
    }

    /// Runs until SIGTERM/SIGINT: the server stops accepting first, workers then finish their jobs within
    /// `workers.shutdown_grace_s`, after which unfinished jobs are released back to the queue.
    public func run() async throws {
        try await serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint]).run()
    }

    /// The group `run()` uses; tests trigger its graceful shutdown directly instead of sending a signal.
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal]) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: application)], gracefulShutdownSignals: gracefulShutdownSignals, logger: environment.logger
        )
        configuration.maximumGracefulShutdownDuration = .seconds(environment.config.workers.shutdownGraceSeconds)
        return ServiceGroup(configuration: configuration)
    }
}

/// The routes of seed §12 that this build serves.
func buildRouter(_ environment: HTTPEnvironment) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: JSONErrorMiddleware(logger: environment.logger))
    router.get("health") { _, _ in
        try JSONResponse.make(["status": "ok", "version": PCAAVersion.current])
    }
    WebhookController(environment: environment).addRoutes(to: router.group("webhook"))
    let authenticated = router.group().add(middleware: OpsTokenMiddleware(token: environment.config.security.opsToken))
    PipelineController(environment: environment).addRoutes(pipeline: authenticated.group("pipeline"), ops: authenticated.group("ops"))
    CallRecordsController(environment: environment).addRoutes(to: authenticated.group("call-records"))
    AgentReportsController(environment: environment).addRoutes(agents: authenticated.group("agents"), supervisor: authenticated.group("supervisor"))
    return router
}
