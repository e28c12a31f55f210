import Logging
import PCAACore
import PCAAStore
import ServiceLifecycle

/// All workers of one stage, run as one `Service`. With zero workers the pool just waits for shutdown.
public struct StageWorkerPool: Service {
    public let stage: Stage
    public let workers: [StageWorker]

    public init(
        processor: any StageProcessor, count: Int, queue: JobQueue, pollInterval: Duration, instance: String, alerts: AlertGate, logger: Logger
    ) {
        self.stage = processor.stage
        self.workers = (0..<count).map { index in
            StageWorker(id: "\(instance)-\(processor.stage.rawValue)-\(index + 1)", processor: processor, queue: queue,
                        pollInterval: pollInterval, alerts: alerts, logger: logger)
        }
    }

    public func run() async throws {
        if workers.isEmpty {
            try? await gracefulShutdown()
            return
        }
        await withDiscardingTaskGroup { group in
            for worker in workers {
                group.addTask { await worker.run() }
            }
        }
    }
}
