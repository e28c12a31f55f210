import Foundation
import Logging
import PCAACore
import PCAAHTTP
import PCAAPipeline

/// The daemon configuration benchmarks run with: a scratch data directory, a free loopback port, quiet logs.
enum BenchDaemon {
    static func config(dataDir: String, synchronous: String, workers: Int) -> PCAAConfig {
        var config = PCAAConfig()
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.storage.dataDir = dataDir
        config.storage.synchronous = synchronous
        config.security.platformSecret = "bench-platform-secret-0123456789"
        config.workers.transcribe = workers
        config.workers.analyze = workers
        config.workers.notify = workers
        config.workers.pollIntervalMs = 20
        config.defaults.sttProvider = "drill"
        config.logging.level = "error"
        return config
    }

    static func start(_ config: PCAAConfig) async throws -> RunningDaemon {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        return try await RunningDaemon.start(config: config, logger: logger)
    }
}
