import Logging
import PCAACore
import PCAAPipeline
import PCAAStore

/// What the controllers need: the store, the queue, the resolved secrets and the settings.
public struct HTTPEnvironment: Sendable {
    public let config: PCAAConfig
    public let database: AppDatabase
    public let queue: JobQueue
    /// Signs `bid-activated` / `bid-deactivated`; from the config or the generated file.
    public let platformSecret: String
    public let alerts: AlertGate
    public let logger: Logger

    public init(config: PCAAConfig, database: AppDatabase, queue: JobQueue, platformSecret: String, alerts: AlertGate, logger: Logger) {
        self.config = config
        self.database = database
        self.queue = queue
        self.platformSecret = platformSecret
        self.alerts = alerts
        self.logger = logger
    }
}
