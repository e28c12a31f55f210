import Foundation
import GRDB
import PCAACore
import PCAASandbox
import PCAAStore
import Testing

/// `GET /call-records/{bid}` (filters, search, keyset pagination) and `/coaching`, on a real daemon whose database
/// holds 10,000 generated calls across two BIDs; every expectation is recomputed from the generated rows.
@Suite("CallRecords", .serialized) struct CallRecordsTests {
    /// What the generator wrote for one call, to recompute each filter's answer independently of SQL.
    struct Seeded {
        let id: Int64
        let bid: String
        let callid: String
        let agentID: String
        let agentName: String
        let time: Date
        let state: ProcessingState
        let score: Double?
        let passed: Bool?
        let text: String?
    }

    static let agents = [("emp_1", "Richa Vishwakarma"), ("emp_2", "Pooja Kumar"), ("emp_3", "Shubham Kumari"), ("emp_4", "Arjun Mehta")]
    static let words = ["pricing", "spam", "broadcast", "demo", "invoice", "refund", "schedule", "budget", "manager", "whatsapp"]

    /// Writes `count` calls (90 % to BID A, 10 % to B) with analyses and transcripts, in one transaction.
    static func seed(_ database: AppDatabase, count: Int) async throws -> [Seeded] {
        try await database.writer.write { db -> [Seeded] in
            var random = SeededGenerator(seed: 2026)
            let start = Date(timeIntervalSince1970: 1_772_323_200) // 2026-03-01 00:00:00 UTC
            let states: [ProcessingState] = [.notified, .notified, .notified, .analyzed, .queued, .failedSTT, .skipped, .failedAnalysis]
            let now = DatabaseTimestamp(Date())
            var seeded: [Seeded] = []
            for index in 0..<count {
                let bid = index % 10 == 9 ? "B" : "A"
                let (agentID, agentName) = agents[Int(random.next() % UInt64(agents.count))]
                // Several calls share a second so the id tie-break is exercised.
                let time = start.addingTimeInterval(Double(random.next() % (30 * 86_400 / 7)) * 7)
                let state = states[Int(random.next() % UInt64(states.count))]
                let callid = "c\(index)"
                try db.execute(sql: """
                    INSERT INTO calls (bid, callid, agent_name, agent_id, customer_phone, call_starttime, duration_seconds, call_status,
                                       direction, processing_state, webhook_received_at, state_changed_at)
                    VALUES (?, ?, ?, ?, '9123456780', ?, 120, 'ANSWER', 'outbound', ?, ?, ?)
                    """, arguments: [bid, callid, agentName, agentID, DatabaseTimestamp(time), state.rawValue, now, now])
                let id = db.lastInsertedRowID
                var score: Double?
                var passed: Bool?
                var text: String?
                if [.notified, .analyzed].contains(state) {
                    let total = Double(random.next() % 1001) / 10
                    score = total
                    passed = total >= 70
                    try db.execute(sql: """
                        INSERT INTO analyses (call_id, bid, callid, analyzer, total_score, passed, result, processing_ms, created_at)
                        VALUES (?, ?, ?, 'rules', ?, ?, '{"analyzer":"rules","parameters":[],"coaching":[],"summary":"","objections":[],"metrics":{}}', 1, ?)
                        """, arguments: [id, bid, callid, total, total >= 70, now])
                }
                if state != .queued && state != .skipped && state != .failedSTT {
                    let picked = (0..<3).map { _ in words[Int(random.next() % UInt64(words.count))] }
                    text = "hello this is \(agentName) calling about " + picked.joined(separator: " and ")
                    try db.execute(sql: """
                        INSERT INTO transcripts (call_id, bid, callid, provider, text, segments, audio_duration_s, processing_ms, created_at)
                        VALUES (?, ?, ?, 'drill', ?, '[]', 120, 1, ?)
                        """, arguments: [id, bid, callid, text, now])
                }
                seeded.append(Seeded(id: id, bid: bid, callid: callid, agentID: agentID, agentName: agentName, time: time, state: state,
                                     score: score, passed: passed, text: text))
            }
            return seeded
        }
    }

    /// Newest first, ties by id, as the API promises.
    static func ordered(_ calls: [Seeded]) -> [String] {
        calls.sorted { $0.time == $1.time ? $0.id > $1.id : $0.time > $1.time }.map(\.callid)
    }

    /// Follows `next_cursor` until the last page; fails on a page that repeats a call.
    static func walk(_ daemon: TestDaemon, _ path: String) async throws -> (callids: [String], pages: Int, items: [[String: Any]]) {
        var callids: [String] = []
        var items: [[String: Any]] = []
        var cursor: String?
        var pages = 0
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let response = try await daemon.get(path + (cursor.map { "\(separator)cursor=\($0)" } ?? ""))
            guard response.status == 200 else { throw TestFailure("\(path): \(response.status) \(response.bodyString)") }
            let body = try response.json()
            let page = body["items"] as? [[String: Any]] ?? []
            items += page
            callids += page.compactMap { $0["callid"] as? String }
            cursor = body["next_cursor"] as? String
            pages += 1
            if pages > 10_000 { throw TestFailure("pagination does not end") }
        } while cursor != nil
        return (callids, pages, items)
    }

    @Test func filtersAndKeysetPaginationOnTenThousandCalls() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        try await daemon.activate("A")
        try await daemon.activate("B")
        let seeded = try await Self.seed(daemon.database, count: 10_000)
        let inA = seeded.filter { $0.bid == "A" }

        // Every call of A exactly once, in order, none of B's, across pages of 500.
        let all = try await Self.walk(daemon, "/call-records/A?limit=500")
        #expect(all.callids == Self.ordered(inA))
        #expect(all.pages == (inA.count + 499) / 500)
        #expect(Set(all.callids).count == inA.count)

        // Combined filters with small pages reproduce the independently computed list.
        let march10 = Date(timeIntervalSince1970: 1_773_081_000) // 2026-03-10 00:00 IST
        let march13 = march10.addingTimeInterval(3 * 86_400) // end of 2026-03-12 IST (to is inclusive)
        let expected = inA.filter {
            $0.agentID == "emp_2" && $0.time >= march10 && $0.time < march13 && ($0.score ?? -1) >= 40 && ($0.score ?? 101) <= 90
        }
        #expect(!expected.isEmpty)
        let filtered = try await Self.walk(daemon, "/call-records/A?agent_id=emp_2&from=2026-03-10&to=2026-03-12&min_score=40&max_score=90&limit=7")
        #expect(filtered.callids == Self.ordered(expected))
        #expect(filtered.items.allSatisfy { ($0["total_score"] as? Double).map { (40...90).contains($0) } == true })

        // States (comma-separated and repeated), agent by name, pass/fail.
        let failed = try await Self.walk(daemon, "/call-records/A?state=failed_stt,failed_analysis&limit=200")
        #expect(failed.callids == Self.ordered(inA.filter { $0.state == .failedSTT || $0.state == .failedAnalysis }))
        let repeated = try await Self.walk(daemon, "/call-records/A?state=failed_stt&state=failed_analysis&limit=200")
        #expect(repeated.callids == failed.callids)
        let byName = try await Self.walk(daemon, "/call-records/A?agent=pooja%20kumar&passed=false&limit=300")
        #expect(byName.callids == Self.ordered(inA.filter { $0.agentName == "Pooja Kumar" && $0.passed == false }))

        // An ISO time bound is exact and exclusive for `to`.
        let pivot = inA[100].time
        let iso = Timestamp.iso8601(pivot)
        let before = try await Self.walk(daemon, "/call-records/A?to=\(iso)&limit=500")
        #expect(before.callids == Self.ordered(inA.filter { $0.time < pivot }))

        // A page in the middle of the listing is served from the index, not by sorting the BID's calls.
        let plan = try await daemon.database.writer.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT c.id FROM calls c LEFT JOIN analyses a ON a.call_id = c.id WHERE c.bid = 'A'
                AND (COALESCE(c.call_starttime, c.webhook_received_at) < '2026-03-20' OR (COALESCE(c.call_starttime, c.webhook_received_at) = '2026-03-20' AND c.id < 5))
                ORDER BY COALESCE(c.call_starttime, c.webhook_received_at) DESC, c.id DESC LIMIT 50
                """).map { $0["detail"] as String? ?? "" }.joined(separator: " | ")
        }
        #expect(plan.contains("calls_by_bid_time") && !plan.contains("TEMP B-TREE"), "\(plan)")
    }

    @Test func transcriptSearchStaysInsideTheBIDAndSurvivesHostileQueries() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        try await daemon.activate("A")
        try await daemon.activate("B")
        let seeded = try await Self.seed(daemon.database, count: 2_000)

        let refund = try await Self.walk(daemon, "/call-records/A?q=refund&limit=100")
        let expected = seeded.filter { $0.bid == "A" && ($0.text?.contains("refund") ?? false) }
        #expect(!expected.isEmpty && seeded.contains { $0.bid == "B" && ($0.text?.contains("refund") ?? false) })
        #expect(refund.callids == Self.ordered(expected))
        #expect(refund.items.allSatisfy { ($0["snippet"] as? String)?.contains("«refund»") == true })

        // All words must occur; a quoted phrase must occur as written; a prefix with *; case and accents folded.
        let both = try await Self.walk(daemon, "/call-records/A?q=REFUND+invoice&limit=500")
        #expect(both.callids == Self.ordered(seeded.filter {
            $0.bid == "A" && ($0.text?.contains("refund") ?? false) && ($0.text?.contains("invoice") ?? false)
        }))
        let phrase = try await Self.walk(daemon, "/call-records/A?q=%22spam%20and%20demo%22&limit=500")
        #expect(phrase.callids == Self.ordered(seeded.filter { $0.bid == "A" && ($0.text?.contains("spam and demo") ?? false) }))
        let prefix = try await Self.walk(daemon, "/call-records/A?q=broad*&limit=500")
        #expect(prefix.callids == Self.ordered(seeded.filter { $0.bid == "A" && ($0.text?.contains("broadcast") ?? false) }))
        let accented = try await Self.walk(daemon, "/call-records/A?q=r%C3%A9fund&limit=500")
        #expect(accented.callids == refund.callids)

        // FTS5 syntax in the input is text, never syntax: no 500s, no errors leaking SQL.
        for hostile in ["%22", "NEAR(refund%20spam)", "refund%20OR%20spam", "*", "%27%3B%20DROP%20TABLE%20calls%3B--", "a%22b%22c%22", "%E0%A4%A8%E0%A4%AE%E0%A4%B8%E0%A5%8D%E0%A4%A4%E0%A5%87",
                        "%F0%9F%98%80", "col:refund", "-refund", "%5E"] {
            let response = try await daemon.get("/call-records/A?q=\(hostile)")
            #expect([200, 422].contains(response.status), "q=\(hostile): \(response.status) \(response.bodyString)")
            if response.status == 422 { #expect(response.errorCode == "invalid_fields") }
        }
        let or = try await Self.walk(daemon, "/call-records/A?q=refund%20OR%20spam&limit=500")
        #expect(or.callids == Self.ordered(seeded.filter {
            $0.bid == "A" && ($0.text.map { $0.contains("refund") && $0.contains("spam") && $0.contains(" or ") } ?? false)
        }), "OR is a word to look for, not an operator")
        #expect(try await daemon.database.integrityCheck() == ["ok"])

        // A transcript rewritten (archival, redaction) and deleted leaves the index in step.
        let target = try #require(expected.first)
        try await daemon.database.writer.write { db in
            try db.execute(sql: "UPDATE transcripts SET text = 'nothing to see' WHERE call_id = ?", arguments: [target.id])
        }
        let afterUpdate = try await Self.walk(daemon, "/call-records/A?q=refund&limit=500")
        #expect(afterUpdate.callids == refund.callids.filter { $0 != target.callid })
        try await daemon.database.writer.write { db in
            try db.execute(sql: "DELETE FROM transcripts WHERE call_id = ?", arguments: [target.id])
        }
        let nothing = try await Self.walk(daemon, "/call-records/A?q=nothing+to+see")
        #expect(nothing.callids.isEmpty)
    }

    @Test func badParametersAreNamedAndNothingLeaks() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        try await daemon.activate("A")
        let cases: [(String, String)] = [
            ("state=done", "state"), ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("min_score=-1", "min_score"),
            ("max_score=nan", "max_score"), ("min_score=80&max_score=20", "max_score"), ("from=2026-02-30", "from"), ("from=yesterday", "from"),
            ("from=2026-03-12&to=2026-03-11", "to"), ("tz=Mars/Olympus", "tz"), ("passed=maybe", "passed"), ("cursor=abc", "cursor"),
            ("cursor=\(CallListCursor(time: "'; DROP", id: 1).token)", "cursor"), ("q=%21%21%21", "q"), ("sort=score", "sort"),
            ("agent_id=..%2F..%2Fetc", "agent_id"), ("limit=5&limit=6", "limit"),
        ]
        for (query, field) in cases {
            let response = try await daemon.get("/call-records/A?\(query)")
            #expect(response.status == 422, "\(query): \(response.status)")
            let fields = ((try? response.json())?["error"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []
            #expect(fields.contains { $0["field"] as? String == field }, "\(query): \(response.bodyString)")
        }
        #expect(try await daemon.get("/call-records/ZZ").status == 404)
        #expect(try await daemon.get("/call-records/..%2Fetc").status == 422)
        let empty = try await daemon.get("/call-records/A")
        let emptyBody = try empty.json()
        #expect(empty.status == 200 && (emptyBody["items"] as? [Any])?.isEmpty == true && emptyBody["next_cursor"] is NSNull)
    }

    @Test func coachingComesFromTheStoredAnalysisOfThatBIDOnly() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        try await daemon.activate("A")
        try await daemon.activate("B")
        _ = try await Self.seed(daemon.database, count: 20)
        let analysis = AnalysisResult(
            analyzer: "rules", totalScore: 55, passed: false,
            parameters: [
                ParameterScore(name: "Greeting", score: 10, maxScore: 10, reason: "Agent said “good morning” at 0:01"),
                ParameterScore(name: "Closing", score: 2, maxScore: 15, reason: "No next step agreed"),
                ParameterScore(name: "Compliance", score: 0, maxScore: 10, reason: "Agent said “guaranteed returns”", failedCall: true),
                ParameterScore(name: "Product knowledge", score: 12, maxScore: 20, reason: "Pricing explained only in part"),
            ],
            bant: BANT(need: BANTFinding(status: .identified, evidence: "we need broadcasts"), timeline: BANTFinding(status: .identified)),
            coaching: ["Agree the next step before you close.", "Ask about budget early."], summary: "Short call.")
        try await daemon.database.writer.write { db in
            guard let call = try Call.filter(Column("bid") == "A" && Column("callid") == "c0").fetchOne(db), let id = call.id else {
                throw TestFailure("seeded call c0 missing")
            }
            try AnalysisRecord(callId: id, call: call, analysis: analysis, processingMs: 5, createdAt: Date()).save(db)
            try db.execute(sql: "DELETE FROM analyses WHERE bid = 'A' AND callid = 'c1'")
        }
        let response = try await daemon.get("/call-records/A/c0/coaching")
        #expect(response.status == 200, "\(response.bodyString)")
        let body = try response.json()
        #expect(body["coaching"] as? [String] == analysis.coaching)
        let areas = (body["areas_to_improve"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(areas == ["Compliance", "Closing", "Product knowledge"], "auto-fail first, then the largest loss")
        #expect(body["bant_gaps"] as? [String] == ["authority", "budget"])

        let pending = try await daemon.get("/call-records/A/c1/coaching")
        #expect(pending.status == 404 && pending.errorCode == "not_analyzed")
        // c9 belongs to B: asking for it under A finds nothing.
        #expect(try await daemon.get("/call-records/A/c9/coaching").errorCode == "not_found")
        #expect(try await daemon.get("/call-records/B/c9").status == 200)
        #expect(try await daemon.get("/call-records/A/c9").status == 404)
    }
}
