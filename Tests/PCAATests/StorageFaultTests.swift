import Foundation
import GRDB
import PCAACore
import PCAAStore
import Testing

/// A locked, full or read-only database: webhooks get 503 + Retry-After (so Mcube retries) and an alert,
/// never a 2xx for a call that was not stored; once the fault clears the same webhook is accepted.
@Suite struct StorageFaultTests {
    static func daemon() async throws -> TestDaemon {
        var config = TestDaemon.testConfig()
        config.workers.transcribe = 0
        config.storage.busyTimeoutMs = 200
        return try await TestDaemon.start(config: config)
    }

    func expectRefusedThenAccepted(_ daemon: TestDaemon, secret: String, callid: String, clear: () async throws -> Void) async throws {
        let payload = CallPayload(bid: "6004", callid: callid)
        let refused = try await daemon.postCall(payload, secret: secret)
        #expect(refused.status == 503)
        #expect(refused.errorCode == "storage_unavailable")
        #expect(refused.header("retry-after") == "5")
        #expect(try await daemon.postCall(payload, secret: secret).status == 503)
        #expect(await daemon.alerts.suppressedCount("storage_error", bid: nil) >= 1, "one alert raised, repeats suppressed")
        try await clear()
        #expect(try await daemon.callState("6004", callid) == nil, "nothing was stored while refusing")
        let accepted = try await daemon.postCall(payload, secret: secret)
        #expect(accepted.status == 200)
        #expect(try await daemon.callState("6004", callid) == .queued)
    }

    @Test func lockedDatabase() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        // Another process (a CLI command, a backup) holds the write lock.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: daemon.config.databasePath, configuration: configuration)
        try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        try await expectRefusedThenAccepted(daemon, secret: secret, callid: "locked-1") {
            try await other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        }
    }

    @Test func fullDisk() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        // Cap the file at its current size and fill webhook_log's pages (every webhook writes a row there):
        // the next insert fails with SQLITE_FULL, as on a full disk.
        try await daemon.database.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            for size in [2000, 400, 60, 1] {
                while (try? db.execute(sql: """
                    INSERT INTO webhook_log (event_type, signature_valid, queued, http_status, received_at, payload)
                    VALUES ('filler', 0, 0, 0, '2026-01-01 00:00:00', substr(hex(zeroblob(\(size))), 1, \(size)))
                    """)) != nil {}
            }
        }
        try await expectRefusedThenAccepted(daemon, secret: secret, callid: "full-1") {
            try await daemon.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        }
    }

    @Test func readOnlyDatabase() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        // query_only fails writes with SQLITE_READONLY, the error a read-only file system gives.
        try await daemon.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = ON") }
        try await expectRefusedThenAccepted(daemon, secret: secret, callid: "ro-1") {
            try await daemon.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = OFF") }
        }
    }
}
