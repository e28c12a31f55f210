import Foundation
import Logging
import PCAACore
import PCAAStore
import ServiceLifecycle

/// Evaluates the seed §10.2 conditions the pipeline can see, every `check_interval_s`: the queue deeper than
/// `queue_depth_limit` for `queue_depth_minutes`; calls stuck in a running state for `stuck_call_minutes`; a BID
/// whose last `analysis_failure_streak` analysis attempts all failed; more than `transcription_failure_percent` of
/// the last hour's transcription attempts failing (with at least 10 attempts); the data directory's disk fuller
/// than `disk_usage_percent`. (Dead jobs and storage errors are raised where they happen.) The ``AlertGate`` turns
/// a lasting condition into one alert per cooldown.
public struct AlertMonitor: Service {
    let database: AppDatabase
    let queue: JobQueue
    let alerts: AlertGate
    let settings: PCAAConfig.Alerts
    let dataDir: String
    let logger: Logger
    private let state = DepthState()

    public init(database: AppDatabase, queue: JobQueue, alerts: AlertGate, settings: PCAAConfig.Alerts, dataDir: String,
                logger: Logger = Logger(label: "alerts")) {
        self.database = database
        self.queue = queue
        self.alerts = alerts
        self.settings = settings
        self.dataDir = dataDir
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await check(now: Date())
            try? await cancelWhenGracefulShutdown { [settings] in try await Task.sleep(for: .seconds(settings.checkIntervalSeconds)) }
        }
    }

    /// One evaluation at `now`; returns the kinds of the alerts it raised.
    @discardableResult
    public func check(now: Date) async -> [String] {
        var raised: [String] = []
        do {
            let depths = try await queue.depths()
            let depth = depths.values.reduce(0) { $0 + ($1[.ready] ?? 0) + ($1[.running] ?? 0) }
            if let since = await state.observe(depth: depth, limit: settings.queueDepthLimit, now: now),
               now.timeIntervalSince(since) >= Double(settings.queueDepthMinutes * 60) {
                let minutes = Int(now.timeIntervalSince(since) / 60)
                if await alerts.raise("queue_depth", bid: nil, message: "\(depth) jobs waiting or running, over \(settings.queueDepthLimit) for \(minutes) min",
                                      metadata: ["depth": .stringConvertible(depth)]) { raised.append("queue_depth") }
            }

            let stuck = try await database.stuckCalls(olderThan: now.addingTimeInterval(-Double(settings.stuckCallMinutes * 60)))
                .filter { $0.processingState != .received && $0.processingState != .queued && $0.processingState != .transcribed
                    && $0.processingState != .analyzed }
            for (bid, calls) in Dictionary(grouping: stuck, by: \.bid).sorted(by: { $0.key < $1.key }) {
                let sample = calls.prefix(3).map { "\($0.callid) (\($0.processingState.rawValue))" }.joined(separator: ", ")
                if await alerts.raise("calls_stuck", bid: bid, message: "\(calls.count) calls in a running state for over \(settings.stuckCallMinutes) min: \(sample)",
                                      metadata: ["count": .stringConvertible(calls.count)]) { raised.append("calls_stuck") }
            }

            let streaks = try await database.failingAnalysisStreaks(streak: settings.analysisFailureStreak, since: now.addingTimeInterval(-86_400))
            for (bid, lastError) in streaks {
                if await alerts.raise("analysis_failing", bid: bid,
                                      message: "the last \(settings.analysisFailureStreak) analysis attempts failed" + (lastError.map { ": \($0)" } ?? "")) {
                    raised.append("analysis_failing")
                }
            }

            let outcomes = try await database.transcriptionOutcomes(since: now.addingTimeInterval(-3600))
            if outcomes.total >= 10, Double(outcomes.failed) / Double(outcomes.total) * 100 > settings.transcriptionFailurePercent {
                let share = Int((Double(outcomes.failed) / Double(outcomes.total) * 100).rounded())
                if await alerts.raise("transcription_failing", bid: nil,
                                      message: "\(outcomes.failed) of \(outcomes.total) transcription attempts in the last hour failed (\(share)%)") {
                    raised.append("transcription_failing")
                }
            }
        } catch {
            logger.error("alert_check_failed", metadata: ["error": "\(error)"])
        }
        if let used = DiskUsage.usedPercent(path: dataDir), used > settings.diskUsagePercent {
            if await alerts.raise("disk_full", bid: nil, message: "the disk holding \(dataDir) is \(Int(used.rounded()))% full") {
                raised.append("disk_full")
            }
        }
        return raised
    }

    /// Since when the queue has been over its limit (in memory: a restart starts the clock again).
    actor DepthState {
        private var overSince: Date?

        func observe(depth: Int, limit: Int, now: Date) -> Date? {
            if depth > limit {
                if overSince == nil { overSince = now }
            } else {
                overSince = nil
            }
            return overSince
        }
    }
}
