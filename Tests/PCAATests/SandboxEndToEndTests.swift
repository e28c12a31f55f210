import Foundation
import PCAACore
import PCAASandbox
import Testing

/// `pcaa sandbox` against a real daemon: signed activations and calls, recordings over HTTP, every call terminal.
@Suite struct SandboxEndToEndTests {
    @Test func everyAcknowledgedCallReachesATerminalState() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        let options = SandboxOptions(target: daemon.baseURL, bids: 3, calls: 30, ratePerSecond: 0, timeoutSeconds: 60,
                                     platformSecret: daemon.platformSecret, seed: 7, concurrency: 6)
        let report = try await SandboxRun(options: options, log: { _ in }).run()
        #expect(report.passed, "\(report.table())")
        #expect(report.total.sent == 30)
        // The plan: 10% unanswered, 10% too short, 10% sent twice (eligible), the rest eligible.
        #expect(report.total.queued == 24 && report.total.skipped == 6 && report.total.duplicates == 3)
        #expect(report.total.states["notified"] == 24)
        #expect(report.total.states["skipped"] == 6)
        #expect(report.total.missing == 0 && report.total.notTerminal == 0 && report.total.unacknowledged == 0)
        #expect(report.table().contains("PASSED"))
    }

    @Test func withoutASpeechEngineCallsEndFailedSTTAndNothingIsLost() async throws {
        var config = TestDaemon.testConfig()
        config.defaults.sttProvider = "local"
        config.stt.localPython = "/nonexistent/python" // this test is about a box without the speech helper
        let daemon = try await TestDaemon.start(config: config)
        defer { Task { await daemon.stop() } }
        let options = SandboxOptions(target: daemon.baseURL, bids: 2, calls: 10, ratePerSecond: 0, timeoutSeconds: 60,
                                     platformSecret: daemon.platformSecret, seed: 3, concurrency: 4)
        let report = try await SandboxRun(options: options, log: { _ in }).run()
        #expect(report.passed, "\(report.table())")
        #expect(report.total.states["failed_stt"] == report.total.queued)
        #expect(report.notes.contains { $0.contains("stt_unavailable") || $0.contains("unavailable") })
    }

    @Test func wrongPlatformSecretStopsTheRunBeforeAnyCall() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        let options = SandboxOptions(target: daemon.baseURL, bids: 1, calls: 5, platformSecret: "not-the-platform-secret-at-all")
        await #expect(throws: SandboxError.self) { try await SandboxRun(options: options, log: { _ in }).run() }
    }
}
