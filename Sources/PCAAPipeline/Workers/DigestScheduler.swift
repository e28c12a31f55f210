import Foundation
import Logging
import PCAACore
import PCAADelivery
import PCAAStore
import ServiceLifecycle

/// Sends each BID's supervisor digest at its configured local time and days (seed §8.2), once per day even across
/// restarts (`digest_runs`), retrying a digest whose delivery failed transiently on the next check. After downtime
/// only the latest missed digest is sent, and only while its send time is less than `digest_catch_up_hours` ago:
/// a box that was off for a week does not send a week of digests at once.
public struct DigestScheduler: Service {
    let database: AppDatabase
    let producer: DigestProducer
    let interval: Duration
    let catchUp: TimeInterval
    let logger: Logger

    public init(database: AppDatabase, producer: DigestProducer, interval: Duration, catchUpHours: Int, logger: Logger = Logger(label: "digest_scheduler")) {
        self.database = database
        self.producer = producer
        self.interval = interval
        self.catchUp = Double(catchUpHours) * 3600
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await tick(now: Date())
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    /// One check at `now`; returns the (bid, period) pairs it produced digests for.
    @discardableResult
    public func tick(now: Date) async -> [(bid: String, period: String)] {
        var produced: [(String, String)] = []
        do {
            var seen = Set<String>()
            for config in try await database.digestSchedules() where seen.insert(config.bid).inserted {
                guard let schedule = DigestSchedule(config) else {
                    logger.warning("digest_schedule_invalid", metadata: [
                        "bid": "\(config.bid)", "send_time": "\(config.sendTime)", "send_days": "\(config.sendDays)", "timezone": "\(config.timezone)",
                    ])
                    continue
                }
                guard let occurrence = schedule.latestOccurrence(atOrBefore: now), now.timeIntervalSince(occurrence) <= catchUp else { continue }
                let period = schedule.period(forOccurrence: occurrence)
                let results = try await producer.produce(bid: config.bid, period: period, schedule: config)
                if results.contains(where: \.fresh) { produced.append((config.bid, period)) }
            }
        } catch {
            logger.error("digest_check_failed", metadata: ["error": "\(error)"])
        }
        return produced
    }
}
