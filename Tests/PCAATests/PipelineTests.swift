import Foundation
import GRDB
import PCAACore
import PCAAPipeline
import PCAAStore
import Testing

/// The whole pipeline in one real daemon: recordings downloaded over loopback HTTP, real SQLite, real workers.
@Suite struct PipelineTests {
    static func provisioned(_ daemon: TestDaemon, bid: String = "6004") async throws -> String {
        try await daemon.activate(bid)
    }

    func processingLog(_ daemon: TestDaemon, _ callid: String) async throws -> [(String, String)] {
        try await daemon.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT stage, status FROM processing_log WHERE callid = ? ORDER BY id", arguments: [callid])
                .map { ($0["stage"], $0["status"]) }
        }
    }

    @Test func eligibleCallIsTranscribedAnalyzedAndReported() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        let secret = try await Self.provisioned(daemon)
        let payload = CallPayload(bid: "6004", callid: "97393902541773212620", recordingURL: recordings.url("97393902541773212620"))
        #expect(try await daemon.postCall(payload, secret: secret).status == 200)

        #expect(await eventually { (try? await daemon.callState("6004", payload.callid)) == .notified })
        let detail = try #require(try await daemon.database.callDetail(bid: "6004", callid: payload.callid))
        #expect(detail.call.audioDurationS ?? 0 > 1)
        let recordingDirectory = daemon.config.storage.dataDir + "/recordings/6004"
        #expect((try? FileManager.default.contentsOfDirectory(atPath: recordingDirectory))?.isEmpty ?? true,
                "the recording is removed once the transcript is stored (archive_audio is off)")
        #expect(detail.call.completedAt != nil)
        let transcript = try #require(try detail.transcript?.result())
        #expect(transcript.segments.map(\.role) == [.agent, .customer])
        let analysis = try #require(try detail.analysis?.decoded())
        #expect(analysis.analyzer == "rules" && analysis.totalScore != nil)
        #expect(analysis.parameters.count == QualityTemplates.template(named: "presales").count)
        #expect(analysis.parameters.allSatisfy { !$0.reason.isEmpty })
        #expect(analysis.bant != nil && !analysis.coaching.isEmpty)
        #expect(analysis.metrics["agent_talk_percent"] != nil && analysis.metrics["dead_air_count"] != nil)

        let outbox = daemon.config.storage.dataDir + "/outbox/6004"
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox)
        #expect(files.count == 1)
        let message = try String(contentsOfFile: outbox + "/" + files[0], encoding: .utf8)
        #expect(message.contains("To: \"Richa vishwakarma\" <richa@company.com>\r\n") && message.contains("Your Score:") && message.contains("BANT Status:"))

        let log = try await processingLog(daemon, payload.callid).map { "\($0.0):\($0.1)" }
        #expect(log.starts(with: ["received:success", "queued:success", "transcribe:started"]))
        for stage in ["transcribe", "analyze", "notify"] {
            #expect(log.filter { $0 == "\(stage):success" }.count == 1, "\(stage) succeeded exactly once: \(log)")
        }
    }

    @Test func transientFailuresRetryThenDieAndRetryFailedRecovers() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let flaky = FailingSpeechToText(error: .transient("http_503", "provider unavailable"))
        var config = TestDaemon.testConfig()
        config.defaults.sttProvider = "failing"
        let daemon = try await TestDaemon.start(config: config, providers: TestProviders.registry(dataDir: config.storage.dataDir, extra: ["failing": flaky]))
        defer { Task { await daemon.stop() } }
        let secret = try await Self.provisioned(daemon)
        let callid = "3003"
        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: callid, recordingURL: recordings.url(callid)), secret: secret).status == 200)

        #expect(await eventually { (try? await daemon.callState("6004", callid)) == .failedSTT })
        #expect(await flaky.calls == 3, "max_attempts = 3")
        let log = try await processingLog(daemon, callid).map { "\($0.0):\($0.1)" }
        #expect(log.filter { $0 == "transcribe:retry_scheduled" }.count == 2)
        #expect(log.last == "transcribe:dead")

        await flaky.heal()
        let retry = try await daemon.post("/ops/pipeline/6004/retry-failed", body: [])
        #expect(retry.status == 200)
        #expect(try retry.json()["requeued"] as? Int == 1)
        #expect(await eventually { (try? await daemon.callState("6004", callid)) == .notified })
        #expect(try await daemon.post("/ops/pipeline/9999/retry-failed", body: []).status == 404)
    }

    @Test func missingRecordingFailsPermanentlyAtOnce() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        let secret = try await Self.provisioned(daemon)
        let gone = CallPayload(bid: "6004", callid: "404", recordingURL: recordings.baseURL + "/recordings/missing.mp3")
        // A 200 answer that is not audio: the daemon's own JSON health endpoint.
        let garbage = CallPayload(bid: "6004", callid: "405", recordingURL: daemon.baseURL + "/health")
        #expect(try await daemon.postCall(gone, secret: secret).status == 200)
        #expect(try await daemon.postCall(garbage, secret: secret).status == 200)
        #expect(await eventually { (try? await daemon.callState("6004", "404")) == .failedSTT })
        #expect(await eventually { (try? await daemon.callState("6004", "405")) == .failedSTT })
        let gonePath = try await daemon.database.callDetail(bid: "6004", callid: "404")?.call
        #expect(gonePath?.lastError?.contains("download_http_404") == true)
        let badAudio = try await daemon.database.callDetail(bid: "6004", callid: "405")?.call
        #expect(badAudio?.lastError?.contains("unsupported_audio") == true)
        let attempts = try await daemon.database.writer.read { db in
            try Int.fetchAll(db, sql: "SELECT attempt FROM jobs WHERE stage = 'transcribe' ORDER BY callid")
        }
        #expect(attempts == [1, 1], "permanent errors are not retried")
    }

    @Test func jobOfAWorkerThatDiedIsRescuedAndRunsOnce() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        var config = TestDaemon.testConfig()
        config.queue.leaseSeconds = 1
        config.workers.transcribe = 0
        let first = try await TestDaemon.start(config: config)
        let secret = try await Self.provisioned(first)
        #expect(try await first.postCall(CallPayload(bid: "6004", callid: "777", recordingURL: recordings.url("777")), secret: secret).status == 200)
        // A worker of another process claims the job and dies holding it.
        let ghost = PipelineServices.queue(config: config, database: first.database)
        _ = try #require(try await ghost.claim(stage: .transcribe, workerID: "ghost-1"))
        #expect(try await first.callState("6004", "777") == .transcribing)
        await first.stop()

        config.workers.transcribe = 2
        let second = try await TestDaemon.start(config: config)
        defer { Task { await second.stop() } }
        #expect(await eventually { (try? await second.callState("6004", "777")) == .notified })
        let log = try await processingLog(second, "777").map { "\($0.0):\($0.1)" }
        #expect(log.contains("transcribe:lease_expired"))
        #expect(log.filter { $0 == "transcribe:success" }.count == 1)
        #expect(log.filter { $0 == "notify:success" }.count == 1)
    }

    @Test func leaseIsRenewedWhileASlowStageRuns() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        // The stage outlasts its lease more than twice over; renewals every third of the lease keep it. The lease is 3 s,
        // not 1 s, so a renewal held up for a second by a loaded 2-core CI box does not count as a dead worker.
        let slow = SlowSpeechToText(delay: .milliseconds(7000))
        var config = TestDaemon.testConfig()
        config.queue.leaseSeconds = 3
        config.defaults.sttProvider = "slow"
        let daemon = try await TestDaemon.start(config: config, providers: TestProviders.registry(dataDir: config.storage.dataDir, extra: ["slow": slow]))
        defer { Task { await daemon.stop() } }
        let secret = try await Self.provisioned(daemon)
        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "888", recordingURL: recordings.url("888")), secret: secret).status == 200)
        // Generous: with the whole suite running in parallel on 2 cores the 7 s stage has taken over 10 s.
        #expect(await eventually(timeout: 120) { (try? await daemon.callState("6004", "888")) == .notified })
        #expect(await slow.started == 1, "no second worker took over a renewed lease")
    }

    @Test func deactivationStopsNewCallsButQueuedOnesFinish() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        var config = TestDaemon.testConfig()
        config.workers.transcribe = 0
        let first = try await TestDaemon.start(config: config)
        let secret = try await Self.provisioned(first)
        for index in 1...3 {
            #expect(try await first.postCall(CallPayload(bid: "6004", callid: "q\(index)", recordingURL: recordings.url("q\(index)")), secret: secret).status == 200)
        }
        #expect(try await first.deactivate("6004").status == 200)
        #expect(try await first.postCall(CallPayload(bid: "6004", callid: "q4", recordingURL: recordings.url("q4")), secret: secret).status == 403)
        await first.stop()

        config.workers.transcribe = 2
        let second = try await TestDaemon.start(config: config)
        defer { Task { await second.stop() } }
        for index in 1...3 {
            #expect(await eventually { (try? await second.callState("6004", "q\(index)")) == .notified })
        }
        #expect(try await second.callState("6004", "q4") == nil)
        let status = try await second.get("/pipeline/6004/status").json()
        #expect(status["subscription_status"] as? String == "suspended")
        #expect((status["counts"] as? [String: Int])?["notified"] == 3)
        #expect(status["non_terminal"] as? Int == 0)
    }

    @Test func gracefulShutdownFinishesTheJobInHand() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let slow = SlowSpeechToText(delay: .milliseconds(1200))
        var config = TestDaemon.testConfig()
        config.defaults.sttProvider = "slow"
        let daemon = try await TestDaemon.start(config: config, providers: TestProviders.registry(dataDir: config.storage.dataDir, extra: ["slow": slow]))
        let secret = try await Self.provisioned(daemon)
        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "950", recordingURL: recordings.url("950")), secret: secret).status == 200)
        #expect(await eventually { await slow.started == 1 })
        await daemon.stop()
        #expect(await slow.finished == 1)
        let state = try await daemon.callState("6004", "950")
        #expect(state == .transcribed || state == .analyzed || state == .notified, "in-flight transcription was completed, not dropped: \(String(describing: state))")
        let running = try await daemon.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'running'") }
        #expect(running == 0)
    }

    @Test func shutdownDeadlineReleasesTheJobForTheNextStart() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let stuck = SlowSpeechToText(delay: .seconds(60))
        var config = TestDaemon.testConfig()
        config.defaults.sttProvider = "stuck"
        config.workers.shutdownGraceSeconds = 1
        let daemon = try await TestDaemon.start(config: config, providers: TestProviders.registry(dataDir: config.storage.dataDir, extra: ["stuck": stuck]))
        let secret = try await Self.provisioned(daemon)
        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "951", recordingURL: recordings.url("951")), secret: secret).status == 200)
        #expect(await eventually { await stuck.started == 1 })
        await daemon.stop()
        let job = try await daemon.database.writer.read { db in try Row.fetchOne(db, sql: "SELECT state, attempt FROM jobs WHERE callid = '951'") }
        #expect(job?["state"] == "ready")
        #expect(job?["attempt"] == 0, "a released job does not use up an attempt")
        #expect(try await daemon.callState("6004", "951") == .queued)
    }
}
