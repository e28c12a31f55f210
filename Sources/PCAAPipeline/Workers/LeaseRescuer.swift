import Logging
import PCAACore
import PCAAStore
import ServiceLifecycle

/// The safety net (seed §7.3): every interval, jobs whose lease expired go back to `ready` (or `dead` when out of
/// attempts). Runs once at start, so work left by a crash resumes as soon as its leases run out.
public struct LeaseRescuer: Service {
    let queue: JobQueue
    let interval: Duration
    let alerts: AlertGate
    let logger: Logger

    public init(queue: JobQueue, interval: Duration, alerts: AlertGate, logger: Logger) {
        self.queue = queue
        self.interval = interval
        self.alerts = alerts
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await sweep()
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    /// One pass; internal so tests can run it without waiting for the interval.
    func sweep() async {
        do {
            let report = try await queue.rescueExpiredLeases()
            for job in report.requeued {
                logger.warning("lease_expired_requeued", metadata: [
                    "bid": "\(job.bid)", "callid": "\(job.callid)", "stage": "\(job.stage.rawValue)", "attempt": .stringConvertible(job.attempt),
                ])
            }
            for job in report.buried {
                logger.warning("lease_expired_dead", metadata: [
                    "bid": "\(job.bid)", "callid": "\(job.callid)", "stage": "\(job.stage.rawValue)", "attempt": .stringConvertible(job.attempt),
                ])
                await alerts.raise("job_dead", bid: job.bid, message: "\(job.stage.rawValue) job lost its lease on every attempt (worker crash or hang)",
                                   metadata: ["stage": "\(job.stage.rawValue)", "callid": "\(job.callid)"])
            }
        } catch {
            logger.error("rescuer_failed", metadata: ["error": "\(error)"])
        }
    }
}
