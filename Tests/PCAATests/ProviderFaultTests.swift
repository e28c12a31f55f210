import Foundation
import GRDB
import PCAACore
import PCAAPipeline
import Testing

/// `[faults]`: injected provider outages (500, 429 + Retry-After, timeouts, slowness) against the real pipeline.
@Suite struct ProviderFaultTests {
    static func daemon(_ faults: (inout PCAAConfig.Faults) -> Void, maxAttempts: Int = 3, backoffMax: Double = 0.2) async throws -> TestDaemon {
        var config = TestDaemon.testConfig()
        config.defaults.sttProvider = "drill"
        config.queue.maxAttempts = maxAttempts
        config.queue.backoffMaxSeconds = backoffMax
        faults(&config.faults)
        return try await TestDaemon.start(config: config)
    }

    func post(_ daemon: TestDaemon, _ recordings: TestRecordings, count: Int) async throws -> [String] {
        let secret = try await daemon.activate("6004")
        var callids: [String] = []
        for index in 0..<count {
            let callid = "f\(index)"
            #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: callid, recordingURL: recordings.url(callid)), secret: secret).status == 200)
            callids.append(callid)
        }
        return callids
    }

    @Test func outageMakesCallsDeadWithOneAlertAndRetryFailedRecoversThem() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await Self.daemon { $0.sttErrorRate = 1 }
        defer { Task { await daemon.stop() } }
        let callids = try await post(daemon, recordings, count: 6)

        for callid in callids {
            #expect(await eventually { (try? await daemon.callState("6004", callid)) == .failedSTT })
        }
        let attempts = try await daemon.database.writer.read { db in
            try Int.fetchAll(db, sql: "SELECT attempt FROM jobs WHERE stage = 'transcribe' AND state = 'dead'")
        }
        #expect(attempts == Array(repeating: 3, count: 6), "each call used its 3 attempts")
        #expect(await daemon.alerts.suppressedCount("job_dead", bid: "6004") == 5, "six dead calls, one alert")

        await daemon.faultPlan?.update(PCAAConfig.Faults())
        let retry = try await daemon.post("/ops/pipeline/6004/retry-failed", body: [])
        #expect(try retry.json()["requeued"] as? Int == 6)
        for callid in callids {
            #expect(await eventually { (try? await daemon.callState("6004", callid)) == .notified })
        }
    }

    @Test func throttlingHonoursRetryAfter() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await Self.daemon({ $0.sttThrottleRate = 1; $0.retryAfterSeconds = 0.6 }, backoffMax: 5)
        defer { Task { await daemon.stop() } }
        _ = try await post(daemon, recordings, count: 1)
        #expect(await eventually { (try? await daemon.callState("6004", "f0")) == .failedSTT })
        let starts = try await daemon.database.writer.read { db in
            try Date.fetchAll(db, sql: "SELECT created_at FROM processing_log WHERE callid = 'f0' AND stage = 'transcribe' AND status = 'started' ORDER BY id")
        }
        #expect(starts.count == 3)
        for (earlier, later) in zip(starts, starts.dropFirst()) {
            #expect(later.timeIntervalSince(earlier) >= 0.55, "next attempt waited for Retry-After (backoff alone is 0.05-0.2 s)")
        }
    }

    @Test func mixedFaultsStillGetEveryCallThrough() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await Self.daemon({
            $0.sttErrorRate = 0.2
            $0.sttThrottleRate = 0.15
            $0.sttTimeoutRate = 0.1
            $0.sttSlowRate = 0.2
            $0.timeoutMs = 100
            $0.slowMs = 100
            $0.retryAfterSeconds = 0.05
        }, maxAttempts: 12)
        defer { Task { await daemon.stop() } }
        let callids = try await post(daemon, recordings, count: 20)
        for callid in callids {
            #expect(await eventually(timeout: 60) { (try? await daemon.callState("6004", callid)) == .notified })
        }
        let retries = try await daemon.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM processing_log WHERE status = 'retry_scheduled'") ?? 0
        }
        #expect(retries > 0, "some attempts failed and were retried")
    }
}
