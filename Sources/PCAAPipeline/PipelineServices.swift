import Foundation
import Logging
import PCAACore
import PCAADelivery
import PCAASTT
import PCAAStore
import ServiceLifecycle

/// Builds the long-running pipeline services from the configuration: the lease rescuer and one worker pool per stage.
public enum PipelineServices {
    /// `host-pid`, prefixed to every worker id so processing-log rows say which process ran a job.
    public static var instanceID: String {
        "\(ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "pcaa")-\(getpid())"
    }

    public static func queue(config: PCAAConfig, database: AppDatabase) -> JobQueue {
        JobQueue(database: database, policy: RetryPolicy(config.queue), leaseSeconds: Double(config.queue.leaseSeconds))
    }

    public static func make(
        config: PCAAConfig, database: AppDatabase, queue: JobQueue, providers: ProviderRegistry, alerts: AlertGate,
        templates: ReportTemplates, localEndpoint: LocalSTTEndpoint? = nil
    ) -> [any Service] {
        let fetcher = RecordingFetcher(
            directory: config.storage.dataDir + "/recordings", maxBytes: config.download.maxBytes,
            timeoutSeconds: Double(config.download.timeoutSeconds), connectTimeoutSeconds: Double(config.download.connectTimeoutSeconds)
        )
        let poll = Duration.milliseconds(config.workers.pollIntervalMs)
        let instance = instanceID
        let processors: [(any StageProcessor, Int, String)] = [
            (TranscribeStage(database: database, fetcher: fetcher, providers: providers), config.workers.transcribe, "transcription_worker"),
            (AnalyzeStage(database: database, providers: providers), config.workers.analyze, "analysis_worker"),
            (NotifyStage(database: database, providers: providers, templates: templates), config.workers.notify, "notification_worker"),
        ]
        var services: [any Service] = []
        if let localEndpoint, config.defaults.sttProvider == "local" {
            services.append(LocalSTTSupervisor(settings: config.stt, endpoint: localEndpoint))
        }
        services += [
            LeaseRescuer(queue: queue, interval: .seconds(config.queue.rescuerIntervalSeconds), alerts: alerts,
                         logger: Logger(label: "pipeline_orchestrator")),
        ]
        for (processor, count, label) in processors {
            services.append(StageWorkerPool(processor: processor, count: count, queue: queue, pollInterval: poll, instance: instance,
                                            alerts: alerts, logger: Logger(label: label)))
        }
        services += [
            DigestScheduler(database: database, producer: DigestProducer(database: database, providers: providers, templates: templates),
                            interval: .seconds(config.notify.digestCheckIntervalSeconds), catchUpHours: config.notify.digestCatchUpHours),
            AlertMonitor(database: database, queue: queue, alerts: alerts, settings: config.alerts, dataDir: config.storage.dataDir),
            AlertSender(alerts: alerts, settings: config.alerts, providers: providers, dataDir: config.storage.dataDir, templates: templates),
        ]
        return services
    }
}
