import Foundation
import GRDB
import PCAACore
import PCAAStore

/// `pcaa bench sqlite`: the floor every other figure is compared with — how many webhook-log-sized rows this
/// disk takes per second with the daemon's own PRAGMAs, one transaction per row and in batches.
public struct SQLiteBench: Sendable {
    public var synchronous: String
    public var seconds: Double
    public var batchSize: Int

    public init(synchronous: String = "full", seconds: Double = 3, batchSize: Int = 1000) {
        self.synchronous = synchronous
        self.seconds = seconds
        self.batchSize = batchSize
    }

    /// Rows per second: one row per transaction, and `batchSize` rows per transaction.
    public struct Figures: Sendable {
        public var singleRowPerSecond: Double
        public var batchedRowsPerSecond: Double
        public var synchronousPragma: Int
    }

    public func run() throws -> Figures {
        let directory = try BenchDirectory()
        defer { directory.remove() }
        let database = try AppDatabase.open(path: directory.path + "/bench.sqlite", synchronous: synchronous)
        let payload = String(repeating: "x", count: 700)
        let sql = """
            INSERT INTO webhook_log (bid, event_type, callid, payload, signature_valid, queued, http_status, received_at)
            VALUES ('6004', 'call.completed', ?, ?, 1, 1, 200, ?)
            """
        var counter = 0
        func insert(_ db: Database) throws {
            counter += 1
            try db.cachedStatement(sql: sql).execute(arguments: ["\(counter)", payload, Date()])
        }

        let single = try measure { try database.writer.write { db in try insert(db) }; return 1 }
        let batched = try measure {
            try database.writer.write { db in for _ in 0..<batchSize { try insert(db) } }
            return batchSize
        }
        let level = try database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } ?? -1
        return Figures(singleRowPerSecond: single, batchedRowsPerSecond: batched, synchronousPragma: level)
    }

    /// Repeats `step` for `seconds`, returning rows per second.
    private func measure(_ step: () throws -> Int) throws -> Double {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        var rows = 0
        while ContinuousClock.now < deadline { rows += try step() }
        return Double(rows) / Elapsed.seconds(since: start)
    }

    public static func table(_ figures: Figures, synchronous: String) -> BenchTable {
        var table = BenchTable(title: "bench sqlite (synchronous=\(synchronous), PRAGMA synchronous=\(figures.synchronousPragma), WAL)",
                               columns: ["case", "rows/s", "ratio to floor"])
        table.add(["one transaction per row (the floor)", Figure.rate(figures.singleRowPerSecond), "1.00"])
        table.add(["batched transactions", Figure.rate(figures.batchedRowsPerSecond),
                   Figure.ratio(figures.batchedRowsPerSecond, floor: figures.singleRowPerSecond)])
        return table
    }
}
