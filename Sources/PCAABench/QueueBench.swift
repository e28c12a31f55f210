import Foundation
import GRDB
import PCAACore
import PCAAPipeline
import PCAAStore

/// `pcaa bench queue`: claim → complete round trips (each completion enqueues the next stage, as in the
/// pipeline) with 1, 4 and 16 workers, and a fairness run where one of 5 BIDs floods the queue.
public struct QueueBench: Sendable {
    public var jobs: Int
    public var synchronous: String
    public var workerCounts: [Int]

    public init(jobs: Int = 4000, synchronous: String = "full", workerCounts: [Int] = [1, 4, 16]) {
        self.jobs = jobs
        self.synchronous = synchronous
        self.workerCounts = workerCounts
    }

    public struct Throughput: Sendable {
        public var workers: Int
        public var roundTrips: Int
        public var perSecond: Double
        public var meanBatch: Double
    }

    public struct Fairness: Sendable {
        public var floodWaitP50: Double?
        public var floodWaitP95: Double?
        public var quietWaitP50: Double?
        public var quietWaitP95: Double?
        public var quietJobs: Int
    }

    static let bids = ["b1", "b2", "b3", "b4", "b5"]

    public func runThroughput() async throws -> [Throughput] {
        var results: [Throughput] = []
        for workers in workerCounts {
            let directory = try BenchDirectory()
            defer { directory.remove() }
            let (database, queue) = try await Self.prepare(directory: directory, synchronous: synchronous)
            try await Self.fill(database, bid: { Self.bids[$0 % Self.bids.count] }, count: jobs, prefix: "t")
            let start = ContinuousClock.now
            let done = try await Self.drain(queue: queue, workers: workers, until: jobs) { _, _ in }
            let seconds = Elapsed.seconds(since: start)
            let stats = database.committer.statistics
            results.append(Throughput(workers: workers, roundTrips: done, perSecond: Double(done) / seconds,
                                      meanBatch: Double(stats.writes) / Double(max(1, stats.transactions))))
        }
        return results
    }

    /// BID b1 has `jobs` queued up front; b2…b5 get a job every 5 ms while 4 workers drain the queue.
    public func runFairness() async throws -> Fairness {
        let directory = try BenchDirectory()
        defer { directory.remove() }
        let (database, queue) = try await Self.prepare(directory: directory, synchronous: synchronous)
        try await Self.fill(database, bid: { _ in "b1" }, count: jobs, prefix: "flood")
        let waits = WaitLog()
        let quietTotal = 200
        async let producer: Void = {
            for index in 0..<quietTotal {
                try await Self.fill(database, bid: { _ in Self.bids[1 + index % 4] }, count: 1, prefix: "q\(index)-")
                try await Task.sleep(for: .milliseconds(5))
            }
        }()
        _ = try await Self.drain(queue: queue, workers: 4, until: jobs + quietTotal) { job, claimedAt in
            await waits.add(bid: job.bid, wait: claimedAt.timeIntervalSince(job.runAt))
        }
        try await producer
        let flood = await waits.waits(flood: true)
        let quiet = await waits.waits(flood: false)
        return Fairness(floodWaitP50: Percentile.nearestRank(flood, 50), floodWaitP95: Percentile.nearestRank(flood, 95),
                        quietWaitP50: Percentile.nearestRank(quiet, 50), quietWaitP95: Percentile.nearestRank(quiet, 95), quietJobs: quiet.count)
    }

    private actor WaitLog {
        var flood: [Double] = []
        var quiet: [Double] = []
        func add(bid: String, wait: Double) { if bid == "b1" { flood.append(wait) } else { quiet.append(wait) } }
        func waits(flood wanted: Bool) -> [Double] { wanted ? flood : quiet }
    }

    static func prepare(directory: BenchDirectory, synchronous: String) async throws -> (AppDatabase, JobQueue) {
        let database = try AppDatabase.open(path: directory.path + "/queue.sqlite", synchronous: synchronous)
        for bid in bids {
            let event = BIDActivatedEvent(bid: bid, businessName: nil, plan: "bench", activatedAt: nil, paidUntil: nil, occurredAt: Date(), template: nil)
            _ = try await database.activate(event, defaults: PCAAConfig().defaults, now: Date())
        }
        var config = PCAAConfig()
        config.queue.leaseSeconds = 60
        return (database, PipelineServices.queue(config: config, database: database))
    }

    /// Inserts `count` queued calls with their `transcribe` jobs in one transaction.
    static func fill(_ database: AppDatabase, bid: @escaping @Sendable (Int) -> String, count: Int, prefix: String) async throws {
        try await database.writer.write { db in
            let now = Date()
            for index in 0..<count {
                let owner = bid(index)
                try db.execute(
                    sql: """
                        INSERT INTO calls (bid, callid, duration_seconds, call_status, processing_state, webhook_received_at, state_changed_at)
                        VALUES (?, ?, 60, 'ANSWER', 'queued', ?, ?)
                        """,
                    arguments: [owner, "\(prefix)\(index)", now, now])
                try JobQueue.enqueue(db, stage: .transcribe, bid: owner, callid: "\(prefix)\(index)", maxAttempts: 3, now: now)
            }
        }
    }

    /// `workers` tasks claim and complete transcribe jobs until `until` have been completed; returns the count.
    static func drain(
        queue: JobQueue, workers: Int, until target: Int, onClaim: @escaping @Sendable (Job, Date) async -> Void
    ) async throws -> Int {
        let counter = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    while await counter.value < target {
                        guard let job = try await queue.claim(stage: .transcribe, workerID: "bench-\(worker)") else {
                            try await Task.sleep(for: .milliseconds(1))
                            continue
                        }
                        await onClaim(job, job.claimedAt ?? Date())
                        try await queue.database.committer.write { db in
                            try JobQueue.complete(db, job: job, durationMs: 0, note: nil, maxAttempts: 3, now: Date())
                        }
                        await counter.increment()
                    }
                }
            }
            try await group.waitForAll()
        }
        return await counter.value
    }

    private actor Counter {
        var value = 0
        func increment() { value += 1 }
    }

    public func table(_ throughput: [Throughput], fairness: Fairness, floor: Double) -> BenchTable {
        var table = BenchTable(title: "bench queue (\(jobs) jobs, synchronous=\(synchronous); a round trip = claim + complete with next-stage enqueue)",
                               columns: ["case", "round trips", "per second", "ratio to floor", "writes per commit"])
        for row in throughput {
            table.add(["\(row.workers) worker\(row.workers == 1 ? "" : "s")", "\(row.roundTrips)", Figure.rate(row.perSecond),
                       Figure.ratio(row.perSecond, floor: floor), String(format: "%.1f", row.meanBatch)])
        }
        table.add(["fairness: flooding BID wait p50 / p95 s", "\(jobs)",
                   "\(Figure.seconds(fairness.floodWaitP50)) / \(Figure.seconds(fairness.floodWaitP95))", "-", "-"])
        table.add(["fairness: 4 quiet BIDs wait p50 / p95 s", "\(fairness.quietJobs)",
                   "\(Figure.seconds(fairness.quietWaitP50)) / \(Figure.seconds(fairness.quietWaitP95))", "-", "-"])
        return table
    }
}
