import Foundation
import Logging
import PCAACore
import PCAAStore
import ServiceLifecycle

/// One worker of a stage: claims a job, keeps its lease alive while the stage runs, then settles it in one
/// transaction with the result. On graceful shutdown it stops claiming and finishes the job in hand.
public actor StageWorker {
    public let id: String
    let processor: any StageProcessor
    let queue: JobQueue
    let pollInterval: Duration
    let alerts: AlertGate
    let logger: Logger

    public init(id: String, processor: any StageProcessor, queue: JobQueue, pollInterval: Duration, alerts: AlertGate, logger: Logger) {
        self.id = id
        self.processor = processor
        self.queue = queue
        self.pollInterval = pollInterval
        self.alerts = alerts
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let job: Job?
            do {
                job = try await queue.claim(stage: processor.stage, workerID: id)
            } catch is CancellationError {
                return
            } catch {
                logger.error("claim_failed", metadata: ["worker_id": "\(id)", "error": "\(error)"])
                await idle()
                continue
            }
            guard let job else {
                await idle()
                continue
            }
            await handle(job)
        }
    }

    /// Processes one claimed job to a settled state. Settling goes through group commit, which completes even when
    /// this task is cancelled at the shutdown deadline.
    func handle(_ job: Job) async {
        let started = ContinuousClock.now
        var metadata: Logger.Metadata = [
            "bid": "\(job.bid)", "callid": "\(job.callid)", "stage": "\(job.stage.rawValue)",
            "worker_id": "\(id)", "attempt": .stringConvertible(job.attempt),
        ]
        do {
            let commit = try await withLeaseRenewal(job) { [processor] in try await processor.process(job) }
            let durationMs = Elapsed.milliseconds(since: started)
            try await queue.database.committer.write { [queue] db in
                try JobQueue.complete(db, job: job, durationMs: durationMs, note: commit.note, maxAttempts: queue.policy.maxAttempts,
                                      now: Date(), apply: commit.apply)
            }
            commit.afterCommit()
            metadata["duration_ms"] = .stringConvertible(durationMs)
            if let note = commit.note { metadata["detail"] = "\(note)" }
            logger.info("\(job.stage.rawValue)_complete", metadata: metadata)
        } catch is JobQueue.LeaseLost {
            logger.warning("lease_lost", metadata: metadata)
        } catch is CancellationError {
            try? await queue.release(job)
            logger.notice("job_released", metadata: metadata)
        } catch {
            let stageError = (error as? StageError) ?? .transient("internal_error", "\(error)")
            await settleFailure(job, error: stageError, durationMs: Elapsed.milliseconds(since: started), metadata: metadata)
        }
    }

    private func settleFailure(_ job: Job, error: StageError, durationMs: Int, metadata: Logger.Metadata) async {
        var metadata = metadata
        metadata["error"] = "\(error.message)"
        metadata["error_code"] = "\(error.code)"
        metadata["duration_ms"] = .stringConvertible(durationMs)
        do {
            let outcome = try await queue.fail(job, error: error, durationMs: durationMs)
            switch outcome {
            case .retryScheduled(let at):
                metadata["retry_at"] = "\(Timestamp.iso8601(at))"
                logger.warning("\(job.stage.rawValue)_failed_will_retry", metadata: metadata)
            case .dead:
                logger.warning("\(job.stage.rawValue)_failed_dead", metadata: metadata)
                await alerts.raise("job_dead", bid: job.bid, message: "\(job.stage.rawValue) jobs are failing permanently: \(error.message)",
                                   metadata: ["stage": "\(job.stage.rawValue)", "callid": "\(job.callid)", "error_code": "\(error.code)"])
            case .leaseLost:
                logger.warning("lease_lost", metadata: metadata)
            }
        } catch {
            metadata["settle_error"] = "\(error)"
            logger.error("settle_failed", metadata: metadata)
        }
    }

    /// Runs `body` while a sibling task renews the lease every third of its length; losing it cancels the work.
    private func withLeaseRenewal<T: Sendable>(_ job: Job, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let queue = self.queue
        let interval = Duration.milliseconds(Int64(max(0.05, queue.leaseSeconds / 3) * 1000))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while true {
                    try await Task.sleep(for: interval)
                    guard try await queue.renewLease(job) else { throw JobQueue.LeaseLost(jobID: job.id) }
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    private func idle() async {
        try? await cancelWhenGracefulShutdown { [pollInterval] in try await Task.sleep(for: pollInterval) }
    }
}
