import Foundation
import ArgumentParser
import Logging
import PCAABench
import PCAACore

/// `pcaa bench sqlite|ingest|queue|pipeline|stt`: the figures in docs/BENCHMARKS.md, re-runnable on any box.
/// Build with `-c release` for figures worth recording.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure SQLite, ingest, queue, pipeline and speech-engine figures (use a release build).",
        subcommands: [SQLite.self, Ingest.self, Queue.self, Pipeline.self, STT.self]
    )

    /// Benchmarks log warnings only: per-call info lines would be part of what is measured.
    static func quietLogs() {
        JSONLogHandler.bootstrap(level: .warning)
    }

    struct Durability: ParsableArguments {
        @Option(help: "SQLite synchronous level: full (the daemon's default) or normal.")
        var synchronous = "full"
    }

    /// Every figure is also printed as a ratio to this single-row floor.
    static func floor(_ synchronous: String) throws -> SQLiteBench.Figures {
        try SQLiteBench(synchronous: synchronous, seconds: 2).run()
    }

    struct SQLite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sqlite", abstract: "Raw insert rate with the daemon's PRAGMAs.")
        @OptionGroup var durability: Durability
        @Option(help: "Seconds per case.") var seconds: Double = 3

        func run() async throws {
            let figures = try SQLiteBench(synchronous: durability.synchronous, seconds: seconds).run()
            print(SQLiteBench.table(figures, synchronous: durability.synchronous).render())
        }
    }

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Signed webhooks over loopback HTTP.")
        @OptionGroup var durability: Durability
        @Option(help: "Concurrent clients.") var clients = 16
        @Option(help: "Seconds per phase.") var seconds: Double = 5

        func run() async throws {
            BenchCommand.quietLogs()
            let floor = try BenchCommand.floor(durability.synchronous)
            let bench = IngestBench(clients: clients, seconds: seconds, synchronous: durability.synchronous)
            let phases = try await bench.run()
            print(SQLiteBench.table(floor, synchronous: durability.synchronous).render())
            print("")
            print(bench.table(phases, floor: floor.singleRowPerSecond).render())
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "queue", abstract: "Claim/complete round trips and fairness.")
        @OptionGroup var durability: Durability
        @Option(help: "Jobs per case.") var jobs = 4000

        func run() async throws {
            BenchCommand.quietLogs()
            let floor = try BenchCommand.floor(durability.synchronous)
            let bench = QueueBench(jobs: jobs, synchronous: durability.synchronous)
            let throughput = try await bench.runThroughput()
            let fairness = try await bench.runFairness()
            print(SQLiteBench.table(floor, synchronous: durability.synchronous).render())
            print("")
            print(bench.table(throughput, fairness: fairness, floor: floor.singleRowPerSecond).render())
        }
    }

    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pipeline", abstract: "The sandbox through the whole pipeline with instant providers.")
        @OptionGroup var durability: Durability
        @Option(help: "Calls to push through.") var calls = 10_000
        @Option(help: "BIDs.") var bids = 5
        @Option(help: "Workers per stage.") var workers = 2
        @Option(help: "Webhooks per second (0 = as fast as possible: a burst that builds a backlog).") var rate: Double = 0

        func run() async throws {
            BenchCommand.quietLogs()
            let bench = PipelineBench(calls: calls, bids: bids, workers: workers, rate: rate, synchronous: durability.synchronous)
            let result = try await bench.run()
            for table in bench.tables(result) {
                print(table.render())
                print("")
            }
            print(result.report.table())
        }
    }

    struct STT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stt", abstract: "Word error rate and real-time factor of the local speech engine per model, on the fixture calls.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "Comma-separated models (default, base, small, or a model directory).") var models = "default,base"
        @Option(help: "Directory with <name>.stereo.wav and <name>.agent.txt/.customer.txt.") var fixtures = "Tests/Fixtures"
        @Option(help: "Calls in flight for the concurrent pass (default: [workers] transcribe).") var concurrency: Int?

        func run() async throws {
            BenchCommand.quietLogs()
            let config = try options.load()
            let bench = STTBench(
                settings: config.stt, models: models.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) },
                fixturesDirectory: fixtures, concurrency: concurrency ?? config.workers.transcribe, language: "en-IN")
            let rows = try await bench.run { line in
                FileHandle.standardError.write(Data(("bench stt: " + line + "\n").utf8))
            }
            print(bench.table(rows).render())
        }
    }
}
