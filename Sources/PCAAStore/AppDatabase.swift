import Foundation
import GRDB
import PCAACore

/// The one SQLite file: a WAL `DatabasePool` plus the schema migrator.
public struct AppDatabase: Sendable {
    public let writer: DatabasePool
    /// Hot-path writes (ingest, claims, completions) go through group commit to share fsyncs.
    public let committer: GroupCommitWriter

    public init(writer: DatabasePool) {
        self.writer = writer
        self.committer = GroupCommitWriter(writer: writer)
    }

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    /// `synchronous` is `full` (fsync per commit, survives power loss) or `normal`.
    public static func open(path: String, synchronous: String = "full", busyTimeoutMs: Int = 5000, migrate: Bool = true) throws -> AppDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Double(busyTimeoutMs) / 1000)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets synchronous=NORMAL on the writer after prepareDatabase; set the wanted level afterwards.
        let level = synchronous.lowercased() == "normal" ? "NORMAL" : "FULL"
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(level)") }
        let database = AppDatabase(writer: pool)
        if migrate { try database.migrate() }
        return database
    }

    /// Opens the database the configuration names, with its durability and lock-wait settings.
    public static func open(config: PCAAConfig, migrate: Bool = true) throws -> AppDatabase {
        try open(path: config.databasePath, synchronous: config.storage.synchronous, busyTimeoutMs: config.storage.busyTimeoutMs, migrate: migrate)
    }

    /// Applies every pending migration.
    public func migrate() throws {
        try Self.migrator.migrate(writer)
    }

    /// Migration ids applied to this file, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// True when the file needs migrations this binary knows.
    public func hasPendingMigrations() throws -> Bool {
        try writer.read { db in try !Self.migrator.hasCompletedMigrations(db) }
    }

    /// `PRAGMA integrity_check` result: `["ok"]` when healthy.
    public func integrityCheck() throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}
