import Foundation
import GRDB
import PCAACore
import PCAANet
import Testing

/// 10,000 hostile requests: the daemon never crashes, answers every one with the documented JSON, and stores
/// or queues nothing invalid.
@Suite struct FuzzWebhookTests {
    @Test func tenThousandHostileWebhooks() async throws {
        var config = TestDaemon.testConfig()
        config.workers.transcribe = 0
        config.server.maxBodyBytes = 1 << 20
        let daemon = try await TestDaemon.start(config: config)
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let total = ProcessInfo.processInfo.environment["PCAA_SOAK"] != nil ? 100_000 : 10_000
        var fuzzer = WebhookFuzzer(seed: 20_261_125, bid: "6004", secret: secret)
        let cases = (0..<total).map { fuzzer.next(index: $0) }

        struct Outcome: Sendable {
            let kind: String
            let status: Int
            let answer: String?
            let errorCode: String?
        }
        let outcomes = try await withThrowingTaskGroup(of: [Outcome].self) { group in
            let lanes = 8
            for lane in 0..<lanes {
                let slice = stride(from: lane, to: total, by: lanes).map { cases[$0] }
                let payloads = slice.map { ($0.body, $0.headers, $0.kind) }
                group.addTask {
                    var results: [Outcome] = []
                    for (body, headers, kind) in payloads {
                        let response = try await daemon.client.send(HTTPRequest(
                            method: "POST", url: daemon.baseURL + "/webhook/call-completed",
                            headers: [("Content-Type", "application/json")] + headers, body: body
                        ))
                        let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                        results.append(Outcome(kind: kind, status: response.status, answer: json?["status"] as? String,
                                               errorCode: (json?["error"] as? [String: Any])?["code"] as? String))
                    }
                    return results
                }
            }
            return try await group.reduce(into: [Outcome]()) { $0 += $1 }
        }

        #expect(outcomes.count == total)
        let documented: Set<Int> = [200, 400, 401, 403, 413, 422]
        for outcome in outcomes {
            #expect(documented.contains(outcome.status), "\(outcome.kind) answered \(outcome.status)")
            if outcome.status == 200 {
                #expect(["queued", "skipped", "duplicate"].contains(outcome.answer ?? ""), "\(outcome.kind)")
            } else {
                #expect(outcome.errorCode != nil, "\(outcome.kind) → \(outcome.status) without the JSON error shape")
            }
        }
        let byKind = Dictionary(grouping: outcomes, by: \.kind)
        #expect(byKind["valid_mixed_case"]?.allSatisfy { $0.status == 200 } == true)
        #expect(byKind["bad_signature"]?.allSatisfy { $0.status == 401 } == true)
        #expect(byKind["deep_nesting"]?.allSatisfy { $0.status == 400 } == true)
        #expect(byKind["invalid_utf8"]?.allSatisfy { $0.status == 400 } == true)
        #expect(byKind["duplicate_key"]?.allSatisfy { $0.status == 400 } == true)
        #expect(byKind["huge_string"]?.allSatisfy { $0.status == 413 || $0.status == 422 } == true)

        // Nothing invalid stored or queued; the daemon still answers.
        let accepted = outcomes.filter { $0.answer == "queued" || $0.answer == "skipped" }.count
        let (calls, jobs, logs, invalid) = try await daemon.database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_log WHERE event_type = 'call.completed'") ?? -1,
             try String.fetchAll(db, sql: "SELECT callid FROM calls").filter { !SafeIdentifier.isValidCallID($0) })
        }
        #expect(calls == accepted)
        #expect(jobs == outcomes.filter { $0.answer == "queued" }.count)
        #expect(logs == total, "every request is in webhook_log")
        #expect(invalid.isEmpty)
        #expect(try await daemon.get("/health").status == 200)
        #expect(try await daemon.database.integrityCheck() == ["ok"])
    }
}
