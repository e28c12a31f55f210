import Foundation
import GRDB
import Logging
import PCAACore
import PCAADelivery
import PCAAPipeline
import PCAAStore
import Testing

/// Supervisor digests on their local schedule (two time zones, a restart, downtime) and operator alerts with a
/// cooldown that outlives a restart, on a real database and the file outbox.
@Suite("DigestsAndAlerts", .serialized) struct DigestAndAlertTests {
    static let templates = Fixture.root + "/templates"

    static func utc(_ text: String) -> Date { Timestamp.parse(text)! }

    /// An analysed call at `time` for an agent of `group`, scored `score`.
    static func addCall(_ database: AppDatabase, bid: String, callid: String, time: String, agent: (String, String), group: String,
                        score: Double, objections: [String] = [], budget: Bool = false, autoFail: Bool = false) async throws {
        try await database.writer.write { db in
            let when = DatabaseTimestamp(Self.utc(time))
            try db.execute(sql: """
                INSERT INTO calls (bid, callid, agent_name, agent_id, call_starttime, duration_seconds, call_status, direction, group_name,
                                   processing_state, webhook_received_at, state_changed_at)
                VALUES (?, ?, ?, ?, ?, 300, 'ANSWER', 'outbound', ?, 'notified', ?, ?)
                """, arguments: [bid, callid, agent.1, agent.0, when, group, when, when])
            guard let call = try Call.filter(Column("bid") == bid && Column("callid") == callid).fetchOne(db), let id = call.id else { return }
            let analysis = AnalysisResult(
                analyzer: "rules", totalScore: score, passed: score >= 70 && !autoFail,
                parameters: [
                    ParameterScore(name: "Greeting", score: 10, maxScore: 10, reason: "ok"),
                    ParameterScore(name: "Closing", score: score >= 70 ? 14 : 3, maxScore: 15, reason: "closing"),
                    ParameterScore(name: "Compliance", score: autoFail ? 0 : 10, maxScore: 10, reason: "compliance", failedCall: autoFail ? true : nil),
                ],
                bant: BANT(need: BANTFinding(status: .identified), budget: budget ? BANTFinding(status: .identified) : .notDiscussed),
                summary: "", objections: objections)
            try AnalysisRecord(callId: id, call: call, analysis: analysis, processingMs: 1, createdAt: Date()).save(db)
        }
    }

    static func outboxFiles(_ daemon: TestDaemon, _ bid: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: daemon.config.storage.dataDir + "/outbox/\(bid)")) ?? []).sorted()
    }

    static func scheduler(_ daemon: TestDaemon, catchUpHours: Int = 24) throws -> DigestScheduler {
        let producer = DigestProducer(database: daemon.database, providers: TestProviders.registry(dataDir: daemon.config.storage.dataDir),
                                      templates: try ReportTemplates(directory: templates))
        return DigestScheduler(database: daemon.database, producer: producer, interval: .seconds(3600), catchUpHours: catchUpHours)
    }

    @Test func scheduleArithmeticAcrossZonesAndDaylightSaving() throws {
        let india = try #require(DigestSchedule(sendTime: "08:00", sendDays: "mon,tue,wed,thu,fri,sat", timezone: "Asia/Kolkata"))
        // 2026-03-11 is a Wednesday; 08:00 IST is 02:30 UTC.
        #expect(india.latestOccurrence(atOrBefore: Self.utc("2026-03-11T02:29:59Z")) == Self.utc("2026-03-10T02:30:00Z"))
        #expect(india.latestOccurrence(atOrBefore: Self.utc("2026-03-11T02:30:00Z")) == Self.utc("2026-03-11T02:30:00Z"))
        #expect(india.period(forOccurrence: Self.utc("2026-03-11T02:30:00Z")) == "2026-03-10")
        // Monday morning: Sunday is not a send day, so the latest occurrence before Monday 08:00 is Saturday's.
        #expect(india.latestOccurrence(atOrBefore: Self.utc("2026-03-16T02:00:00Z")) == Self.utc("2026-03-14T02:30:00Z"))
        // New York switched to daylight time on 2026-03-08: 08:00 is 13:00 UTC before, 12:00 UTC after.
        let york = try #require(DigestSchedule(sendTime: "08:00", sendDays: "mon,tue,wed,thu,fri",
                                               timezone: "America/New_York"))
        #expect(york.latestOccurrence(atOrBefore: Self.utc("2026-03-06T14:00:00Z")) == Self.utc("2026-03-06T13:00:00Z"))
        #expect(york.latestOccurrence(atOrBefore: Self.utc("2026-03-11T12:00:00Z")) == Self.utc("2026-03-11T12:00:00Z"))
        let day = try #require(york.bounds(ofDay: "2026-03-10"))
        #expect(day.start == Self.utc("2026-03-10T04:00:00Z") && day.end == Self.utc("2026-03-11T04:00:00Z"))
        #expect(DigestSchedule(sendTime: "25:00", sendDays: "mon", timezone: "UTC") == nil)
        #expect(DigestSchedule(sendTime: "08:00", sendDays: "funday", timezone: "UTC") == nil)
        #expect(DigestSchedule(sendTime: "08:00", sendDays: "mon", timezone: "Mars/Base") == nil)
    }

    @Test func digestsGoOutOncePerLocalDayAcrossZonesARestartAndDowntime() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        try await daemon.activate("A")
        try await daemon.activate("B")
        let now = Date()
        try await daemon.database.writer.write { db in
            try db.execute(sql: "UPDATE notification_config SET timezone = 'America/New_York', send_days = 'mon,tue,wed,thu,fri' WHERE bid = 'B'")
        }
        for bid in ["A", "B"] {
            try await daemon.database.saveAgentProfile(AgentProfile(bid: bid, agentId: "sup_1", agentName: "Neha Supervisor",
                                                                    email: "neha@\(bid.lowercased()).example", supervisorGroup: "Presales", role: .supervisor, now: now))
        }
        let richa = ("emp_1", "Richa Vishwakarma"), pooja = ("emp_2", "Pooja Kumar"), shubham = ("emp_3", "Shubham Kumari")
        // A (IST): three calls on 2026-03-10 local, one at 2026-03-09 23:00 IST (= 17:30 UTC), which belongs to the 9th.
        try await Self.addCall(daemon.database, bid: "A", callid: "a1", time: "2026-03-10T04:00:00Z", agent: richa, group: "Presales", score: 88,
                               objections: ["Price"], budget: true)
        try await Self.addCall(daemon.database, bid: "A", callid: "a2", time: "2026-03-10T09:00:00Z", agent: pooja, group: "Presales", score: 84,
                               objections: ["Price", "Spam concerns"])
        try await Self.addCall(daemon.database, bid: "A", callid: "a3", time: "2026-03-10T18:00:00Z", agent: shubham, group: "Presales", score: 52,
                               autoFail: true)
        try await Self.addCall(daemon.database, bid: "A", callid: "a0", time: "2026-03-09T17:30:00Z", agent: richa, group: "Presales", score: 10)
        // B (New York): 2026-03-10 04:30 UTC is 00:30 EDT on the 10th; 03:00 UTC is still the 9th there.
        try await Self.addCall(daemon.database, bid: "B", callid: "b1", time: "2026-03-10T04:30:00Z", agent: richa, group: "Presales", score: 75)
        try await Self.addCall(daemon.database, bid: "B", callid: "b0", time: "2026-03-10T03:00:00Z", agent: richa, group: "Presales", score: 20)
        // Calls for the downtime check, on the 11th, 12th and 13th (IST).
        for (callid, time) in [("a11", "2026-03-11T06:00:00Z"), ("a12", "2026-03-12T06:00:00Z"), ("a13", "2026-03-13T06:00:00Z")] {
            try await Self.addCall(daemon.database, bid: "A", callid: callid, time: time, agent: pooja, group: "Presales", score: 91)
        }

        // A one-hour catch-up window keeps the days before the 10th out of this part.
        let scheduler = try Self.scheduler(daemon, catchUpHours: 1)
        #expect(await scheduler.tick(now: Self.utc("2026-03-11T02:29:00Z")).isEmpty, "07:59 IST: not yet")
        let first = await scheduler.tick(now: Self.utc("2026-03-11T02:31:00Z"))
        #expect(first.map { "\($0.bid) \($0.period)" } == ["A 2026-03-10"])
        let files = Self.outboxFiles(daemon, "A")
        #expect(files.count == 1)
        let digest = try String(contentsOfFile: daemon.config.storage.dataDir + "/outbox/A/" + files[0], encoding: .utf8)
        #expect(digest.contains("To: \"Neha Supervisor\" <neha@a.example>\r\n"))
        for expected in ["📊 Team Quality Report — 2026-03-10", "Calls: 3 | Analyzed: 3 | Avg Score: 74.7/100", "1. Richa Vishwakarma — 88.0 avg",
                         "2. Pooja Kumar — 84.0 avg", "Needs attention:", "1. Shubham Kumari — 52.0 avg  (1 call) — auto-fail: Compliance",
                         "• Price (2 calls)", "• Spam concerns (1 call)", "Needs clearly identified: 3/3 calls", "Budget discussed: 1/3 calls\r\n", "Decision maker identified: 0/3 calls ← Opportunity to improve"] {
            #expect(digest.contains(expected), "missing “\(expected)” in\n\(digest)")
        }

        // Once per period: the same scheduler again, and a restarted one (a new instance on the same database).
        #expect(await scheduler.tick(now: Self.utc("2026-03-11T03:30:00Z")).isEmpty)
        #expect(try await Self.scheduler(daemon, catchUpHours: 1).tick(now: Self.utc("2026-03-11T09:00:00Z")).isEmpty)
        #expect(Self.outboxFiles(daemon, "A").count == 1)

        // New York's 08:00 EDT is 12:00 UTC; its day of the 10th holds b1 only.
        #expect(await scheduler.tick(now: Self.utc("2026-03-11T11:59:00Z")).isEmpty)
        #expect(await scheduler.tick(now: Self.utc("2026-03-11T12:00:30Z")).map(\.bid) == ["B"])
        let york = try String(contentsOfFile: daemon.config.storage.dataDir + "/outbox/B/" + Self.outboxFiles(daemon, "B")[0], encoding: .utf8)
        #expect(york.contains("Calls: 1 | Analyzed: 1 | Avg Score: 75.0/100") && york.contains("America/New_York"))

        // Down from the 11th to Saturday the 14th, 10:00 IST, restarted with the default 24-hour window: only the latest
        // missed digest (the 13th) goes out, not the 11th's and 12th's as well.
        let restarted = try Self.scheduler(daemon)
        let afterDowntime = await restarted.tick(now: Self.utc("2026-03-14T04:30:00Z"))
        #expect(afterDowntime.map { "\($0.bid) \($0.period)" } == ["A 2026-03-13"])
        #expect(Self.outboxFiles(daemon, "A").count == 2)
        let statuses = try await daemon.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT bid || ' ' || period || ' ' || status FROM digest_runs ORDER BY bid, period")
        }
        #expect(statuses == ["A 2026-03-10 sent", "A 2026-03-13 sent", "B 2026-03-10 sent"])
        // Past the catch-up window nothing is sent late: Monday 16th 07:00 IST, Saturday's send time was 48 h ago.
        #expect(await restarted.tick(now: Self.utc("2026-03-16T01:30:00Z")).isEmpty)

        // The supervisor endpoint shows the same figures, per group, for any day and zone.
        let report = try await daemon.get("/supervisor/A/team-report?date=2026-03-10")
        #expect(report.status == 200, "\(report.bodyString)")
        let teams = try report.json()["teams"] as? [[String: Any]] ?? []
        #expect(teams.count == 1 && teams.first?["group"] as? String == "Presales" && teams.first?["calls"] as? Int == 3)
        #expect(teams.first?["average_score"] as? Double == 74.7)
        let utcDay = try await daemon.get("/supervisor/A/team-report?date=2026-03-09&tz=UTC").json()["teams"] as? [[String: Any]]
        #expect(utcDay?.first?["calls"] as? Int == 1, "a0 is on the 9th in UTC")
        #expect(try await daemon.get("/supervisor/A/team-report?date=2026-02-30").status == 422)
        #expect(try await daemon.get("/supervisor/A/team-report?tz=Nowhere/Land").status == 422)
    }

    @Test func alertsReachTheOperatorsOncePerIncidentEvenAcrossARestart() async throws {
        var config = TestDaemon.testConfig()
        config.alerts.opsEmails = "ops@company.com, oncall@company.com"
        // The daemon's own monitor must not race this test's: its thresholds are out of reach, the test's monitor uses
        // the real ones.
        config.alerts.stuckCallMinutes = 10_080
        config.alerts.analysisFailureStreak = 1000
        config.alerts.checkIntervalSeconds = 3600
        config.alerts.diskUsagePercent = 100
        config.alerts.transcriptionFailurePercent = 100
        var settings = config.alerts
        settings.transcriptionFailurePercent = 20
        settings.stuckCallMinutes = 30
        settings.analysisFailureStreak = 3
        let daemon = try await TestDaemon.start(config: config)
        try await daemon.activate("A")
        let old = DatabaseTimestamp(Date().addingTimeInterval(-3600))
        try await daemon.database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO calls (bid, callid, duration_seconds, call_status, processing_state, webhook_received_at, state_changed_at)
                VALUES ('A', 'stuck1', 60, 'ANSWER', 'transcribing', ?, ?)
                """, arguments: [old, old])
        }
        let monitor = AlertMonitor(database: daemon.database, queue: PipelineServices.queue(config: config, database: daemon.database),
                                   alerts: daemon.alerts, settings: settings, dataDir: config.storage.dataDir)
        #expect(await monitor.check(now: Date()) == ["calls_stuck"])
        #expect(await monitor.check(now: Date()).isEmpty, "the same incident within the cooldown raises nothing")
        let ops = config.storage.dataDir + "/outbox/_ops/alerts"
        #expect(await eventually { ((try? FileManager.default.contentsOfDirectory(atPath: ops)) ?? []).count == 2 })
        let mail = try FileManager.default.contentsOfDirectory(atPath: ops).map { try String(contentsOfFile: ops + "/" + $0, encoding: .utf8) }
        #expect(Set(mail.compactMap { $0.components(separatedBy: "\r\n").first { $0.hasPrefix("To: ") } }) == ["To: ops@company.com", "To: oncall@company.com"])
        #expect(mail.allSatisfy { $0.contains("pcaa alert: calls_stuck (BID A)") && $0.contains("stuck1 (transcribing)") })
        await daemon.stop()

        // A restarted daemon on the same database remembers the cooldown.
        let restarted = try await TestDaemon.start(config: config)
        defer { Task { await restarted.stop() } }
        let again = AlertMonitor(database: restarted.database, queue: PipelineServices.queue(config: config, database: restarted.database),
                                 alerts: restarted.alerts, settings: settings, dataDir: config.storage.dataDir)
        #expect(await again.check(now: Date()).isEmpty)
        let cooldown = try await restarted.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT suppressed FROM alert_state WHERE kind = 'calls_stuck' AND scope = 'A'")
        }
        #expect((cooldown?["suppressed"] as Int?) ?? 0 >= 1)

        // Three failed analysis attempts in a row for a BID raise analysis_failing.
        try await restarted.database.writer.write { db in
            for attempt in 1...3 {
                try db.execute(sql: """
                    INSERT INTO processing_log (bid, callid, stage, status, attempt, error_message, created_at)
                    VALUES ('A', ?, 'analyze', 'retry_scheduled', 1, 'bedrock_http_503: model busy', ?)
                    """, arguments: ["x\(attempt)", DatabaseTimestamp(Date())])
            }
        }
        #expect(await again.check(now: Date()) == ["analysis_failing"])

        // Over a fifth of the last hour's transcriptions failing (7 of 10), and a disk past its mark.
        try await restarted.database.writer.write { db in
            for attempt in 0..<10 {
                try db.execute(sql: """
                    INSERT INTO processing_log (bid, callid, stage, status, attempt, created_at) VALUES ('A', ?, 'transcribe', ?, 1, ?)
                    """, arguments: ["t\(attempt)", attempt < 3 ? "success" : "retry_scheduled", DatabaseTimestamp(Date())])
            }
        }
        var strict = settings
        strict.diskUsagePercent = 0
        let watchful = AlertMonitor(database: restarted.database, queue: PipelineServices.queue(config: config, database: restarted.database),
                                    alerts: restarted.alerts, settings: strict, dataDir: config.storage.dataDir)
        #expect(await watchful.check(now: Date()) == ["transcription_failing", "disk_full"])
    }
}
