import Foundation
import GRDB
import PCAACore
import PCAAHTTP
import PCAASandbox
import PCAAStore

/// `pcaa bench pipeline`: the sandbox drives the real daemon in this process (drill speech engine, metrics
/// analyzer, file outbox: instant providers) with N calls over 5 BIDs; reports per-stage lag, end-to-end time
/// and resident memory as the calls go through.
public struct PipelineBench: Sendable {
    public var calls: Int
    public var bids: Int
    public var workers: Int
    /// Webhooks per second; 0 posts as fast as possible (a burst that builds a backlog).
    public var rate: Double
    public var synchronous: String

    public init(calls: Int = 10_000, bids: Int = 5, workers: Int = 2, rate: Double = 0, synchronous: String = "full") {
        self.calls = calls
        self.bids = bids
        self.workers = workers
        self.rate = rate
        self.synchronous = synchronous
    }

    public struct Result: Sendable {
        public var report: SandboxReport
        public var seconds: Double
        /// Stage name → lag samples (seconds from the previous stage's completion to this one's).
        public var lags: [(String, [Double])]
        public var endToEnd: [Double]
        /// (calls finished, resident bytes) sampled during the run.
        public var memory: [(Int, Int)]
        public var peakResident: Int
    }

    public func run(log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Result {
        let directory = try BenchDirectory()
        defer { directory.remove() }
        let daemon = try await BenchDaemon.start(BenchDaemon.config(dataDir: directory.path, synchronous: synchronous, workers: workers))
        let database = daemon.database
        let sampler = Task {
            var samples: [(Int, Int)] = []
            while !Task.isCancelled {
                let finished = (try? await database.writer.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE completed_at IS NOT NULL")
                }) ?? 0
                samples.append((finished, ProcessMemory.residentBytes))
                try? await Task.sleep(for: .milliseconds(500))
            }
            return samples
        }
        let start = ContinuousClock.now
        let options = SandboxOptions(target: daemon.baseURL, bids: bids, calls: calls, ratePerSecond: rate, timeoutSeconds: 1800,
                                     platformSecret: daemon.environment.platformSecret, seed: 11, concurrency: 8)
        let report = try await SandboxRun(options: options, log: log).run()
        let seconds = Elapsed.seconds(since: start)
        sampler.cancel()
        let memory = await sampler.value
        let (lags, endToEnd) = try await Self.lags(database)
        await daemon.stop()
        return Result(report: report, seconds: seconds, lags: lags, endToEnd: endToEnd, memory: memory,
                      peakResident: ProcessMemory.peakResidentBytes)
    }

    /// Per call: received → transcribe → analyze → notify completion times from `processing_log`.
    static func lags(_ database: AppDatabase) async throws -> ([(String, [Double])], [Double]) {
        let rows = try await database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT bid, callid, stage, created_at FROM processing_log
                WHERE status = 'success' AND stage IN ('received', 'transcribe', 'analyze', 'notify')
                """).map { ("\($0["bid"] as String)/\($0["callid"] as String)", $0["stage"] as String, $0["created_at"] as Date) }
        }
        var times: [String: [String: Date]] = [:]
        for (call, stage, at) in rows { times[call, default: [:]][stage] = at }
        let stages = ["received", "transcribe", "analyze", "notify"]
        var lags: [(String, [Double])] = stages.dropFirst().map { ($0, []) }
        var endToEnd: [Double] = []
        for stamps in times.values {
            for (index, stage) in stages.enumerated().dropFirst() {
                if let done = stamps[stage], let previous = stamps[stages[index - 1]] {
                    lags[index - 1].1.append(done.timeIntervalSince(previous))
                }
            }
            if let received = stamps["received"], let notified = stamps["notify"] { endToEnd.append(notified.timeIntervalSince(received)) }
        }
        return (lags, endToEnd)
    }

    public func tables(_ result: Result) -> [BenchTable] {
        var lagTable = BenchTable(
            title: "bench pipeline (\(calls) calls over \(bids) BIDs at \(rate > 0 ? "\(Int(rate))/s" : "full speed"), \(workers) workers per stage, "
                + "synchronous=\(synchronous), "
                + "\(String(format: "%.1f", result.seconds)) s, sandbox \(result.report.passed ? "passed" : "FAILED"))",
            columns: ["stage", "calls", "lag p50 s", "lag p95 s"])
        for (stage, samples) in result.lags {
            lagTable.add([stage, "\(samples.count)", Figure.seconds(Percentile.nearestRank(samples, 50)), Figure.seconds(Percentile.nearestRank(samples, 95))])
        }
        lagTable.add(["end to end", "\(result.endToEnd.count)", Figure.seconds(Percentile.nearestRank(result.endToEnd, 50)),
                      Figure.seconds(Percentile.nearestRank(result.endToEnd, 95))])
        var memoryTable = BenchTable(title: "resident memory while calls finish (daemon + sandbox + recording server in one process)",
                                     columns: ["calls finished", "RSS MiB"])
        let quartiles = [0, 0.25, 0.5, 0.75, 1.0].map { Int(Double(result.memory.count - 1) * $0) }
        for index in Set(quartiles).sorted() where index >= 0 && index < result.memory.count {
            memoryTable.add(["\(result.memory[index].0)", Figure.mib(result.memory[index].1)])
        }
        memoryTable.add(["peak (VmHWM)", Figure.mib(result.peakResident)])
        return [lagTable, memoryTable]
    }
}
