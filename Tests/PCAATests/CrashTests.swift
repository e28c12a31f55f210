import Foundation
import GRDB
import PCAACore
import PCAAStore
import Testing

/// The real daemon binary under load, killed with SIGKILL at random points and restarted, or stopped with
/// SIGTERM mid-load: nothing acknowledged is lost, nothing is stuck, notifications are sent once.
@Suite(.serialized) struct CrashTests {
    /// `make soak` (PCAA_SOAK=1) runs the long version: ten times the calls, five times the kills.
    static let soak = ProcessInfo.processInfo.environment["PCAA_SOAK"] != nil

    struct Sent: Sendable {
        let bid: String
        let callid: String
        let answer: String
    }

    /// Posts `count` calls over `bids` from 4 lanes, retrying through restarts; returns the acknowledged ones.
    static func load(_ daemon: ChildDaemon, secrets: [String: String], recordings: TestRecordings, count: Int, tag: String) async -> [Sent] {
        let bids = secrets.keys.sorted()
        return await withTaskGroup(of: [Sent].self) { group in
            for lane in 0..<4 {
                group.addTask {
                    var sent: [Sent] = []
                    for index in stride(from: lane, to: count, by: 4) {
                        let bid = bids[index % bids.count]
                        let callid = "\(tag)\(index)"
                        var payload = CallPayload(bid: bid, callid: callid, recordingURL: recordings.url(callid))
                        if index % 10 == 3 { payload.status = "NOANSWER" }
                        if let answer = await daemon.deliver(payload, secret: secrets[bid]!) {
                            sent.append(Sent(bid: bid, callid: callid, answer: answer))
                        }
                    }
                    return sent
                }
            }
            return await group.reduce(into: [Sent]()) { $0 += $1 }
        }
    }

    /// Waits until every BID's calls are terminal, then checks each acknowledged call individually.
    static func verify(_ daemon: ChildDaemon, sent: [Sent]) async throws {
        let bids = Set(sent.map(\.bid))
        for bid in bids {
            let settled = await eventually(timeout: 90) {
                guard let status = try? await daemon.client.send(.init(url: daemon.baseURL + "/pipeline/\(bid)/status")).json() else { return false }
                return status["non_terminal"] as? Int == 0
            }
            #expect(settled, "BID \(bid) settled")
        }
        for call in sent {
            let response = try await daemon.client.send(.init(url: daemon.baseURL + "/call-records/\(call.bid)/\(call.callid)"))
            #expect(response.status == 200, "acknowledged call \(call.callid) is stored")
            let state = ((try? response.json())?["call"] as? [String: Any])?["processing_state"] as? String
            let expected = Int(call.callid.filter(\.isNumber))! % 10 == 3 ? "skipped" : "notified" // every tenth is NOANSWER
            #expect(state == expected, "\(call.callid): \(state ?? "nil")")
        }
    }

    /// After the daemon stopped: no job left running, each call notified once, the file intact.
    static func checkStore(_ daemon: ChildDaemon, sent: [Sent]) throws {
        let database = try AppDatabase.open(path: daemon.databasePath, synchronous: "normal")
        let (deliveries, unsent) = try database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notifications WHERE kind = 'agent_report'") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notifications WHERE status != 'sent'") ?? -1)
        }
        let (running, duplicateNotifies, notified, integrity) = try database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'running'") ?? -1,
             try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT callid FROM processing_log WHERE stage = 'notify' AND status = 'success'
                GROUP BY bid, callid HAVING COUNT(*) > 1)
                """) ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE processing_state = 'notified'") ?? -1,
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        #expect(running == 0, "no job stuck in running")
        #expect(duplicateNotifies == 0, "no call notified twice")
        #expect(integrity == ["ok"])
        var outboxFiles = 0
        for bid in Set(sent.map(\.bid)) {
            outboxFiles += (try? FileManager.default.contentsOfDirectory(atPath: daemon.dataDir + "/var/outbox/" + bid))?
                .filter { $0.hasSuffix(".eml") }.count ?? 0
        }
        #expect(outboxFiles == notified, "one outbox message per notified call")
        #expect(deliveries == notified && unsent == 0, "one delivery-log row per notified call, each sent")
    }

    @Test func killNineAtRandomPointsLosesNothing() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try ChildDaemon()
        try await daemon.start()
        var secrets: [String: String] = [:]
        for bid in ["c1", "c2", "c3"] { secrets[bid] = try await daemon.activate(bid) }

        let calls = Self.soak ? 2400 : 240
        async let sent = Self.load(daemon, secrets: secrets, recordings: recordings, count: calls, tag: "k")
        for _ in 0..<(Self.soak ? 20 : 4) {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1200)))
            #expect(await daemon.stop(signal: SIGKILL) == SIGKILL)
            try await daemon.start()
        }
        let acknowledged = await sent
        #expect(acknowledged.count == calls, "with retries through restarts every webhook was acknowledged")
        try await Self.verify(daemon, sent: acknowledged)
        #expect(await daemon.stop(signal: SIGTERM) == 0)
        try Self.checkStore(daemon, sent: acknowledged)
    }

    @Test func sigtermMidLoadLosesNothingAndLeavesNoRunningJob() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try ChildDaemon(extraConfig: "[faults]\nstt_slow_rate = 1.0\nslow_ms = 300\n")
        try await daemon.start()
        var secrets: [String: String] = [:]
        for bid in ["t1", "t2"] { secrets[bid] = try await daemon.activate(bid) }

        async let sent = Self.load(daemon, secrets: secrets, recordings: recordings, count: 120, tag: "t")
        try await Task.sleep(for: .milliseconds(800))
        #expect(await daemon.stop(signal: SIGTERM) == 0, "graceful exit status")
        let database = try AppDatabase.open(path: daemon.databasePath, synchronous: "normal")
        let running = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'running'") }
        #expect(running == 0, "in-flight jobs finished or were released before exit")
        try await daemon.start()
        let acknowledged = await sent
        try await Self.verify(daemon, sent: acknowledged)
        #expect(await daemon.stop(signal: SIGTERM) == 0)
        try Self.checkStore(daemon, sent: acknowledged)
    }
}
