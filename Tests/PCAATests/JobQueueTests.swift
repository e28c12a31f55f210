import Foundation
import GRDB
import PCAACore
import PCAAStore
import Testing

/// The durable queue on a real SQLite file: claims, leases, fencing, backoff, dead jobs, fairness.
@Suite struct JobQueueTests {
    let database: AppDatabase
    let queue: JobQueue

    init() throws {
        database = try AppDatabase.open(path: TestDaemon.temporaryDirectory() + "/q.sqlite", synchronous: "normal")
        queue = JobQueue(database: database, policy: RetryPolicy(maxAttempts: 3, baseSeconds: 10, maxSeconds: 60, jitter: 0), leaseSeconds: 30)
    }

    func seed(bid: String, calls: Int, at now: Date = Date()) async throws {
        let event = BIDActivatedEvent(bid: bid, businessName: nil, plan: "standard", activatedAt: nil, paidUntil: nil, occurredAt: now, template: nil)
        _ = try await database.activate(event, defaults: PCAAConfig().defaults, now: now)
        for index in 0..<calls {
            let call = try CallCompletedEvent.validate(try StrictJSON.parse(Array(CallPayload(bid: bid, callid: "\(bid)-\(index)").json.utf8)))
            #expect(try await database.ingestCall(call, payload: "{}", maxAttempts: 3, now: now.addingTimeInterval(Double(index) / 1000)) == .queued)
        }
    }

    @Test func claimLeasesOneJobAndMovesTheCall() async throws {
        try await seed(bid: "A", calls: 2)
        let first = try #require(try await queue.claim(stage: .transcribe, workerID: "w1"))
        let second = try #require(try await queue.claim(stage: .transcribe, workerID: "w2"))
        #expect(first.id != second.id)
        #expect(first.state == .running && first.attempt == 1 && first.workerId == "w1")
        #expect(try await queue.claim(stage: .transcribe, workerID: "w3") == nil)
        let state = try await database.callDetail(bid: "A", callid: first.callid)?.call.processingState
        #expect(state == .transcribing)
    }

    @Test func transientFailureBacksOffThenDiesAfterMaxAttempts() async throws {
        try await seed(bid: "A", calls: 1)
        var now = Date()
        var outcomes: [JobQueue.FailureOutcome] = []
        for _ in 1...3 {
            let job = try #require(try await queue.claim(stage: .transcribe, workerID: "w", now: now))
            outcomes.append(try await queue.fail(job, error: .transient("http_503", "provider down"), durationMs: 5, now: now))
            #expect(try await queue.claim(stage: .transcribe, workerID: "w", now: now) == nil, "not before the backoff")
            now = now.addingTimeInterval(120)
        }
        guard case .retryScheduled(let first) = outcomes[0], case .retryScheduled(let second) = outcomes[1] else {
            Issue.record("expected two retries, got \(outcomes)")
            return
        }
        #expect(second.timeIntervalSince(now) > first.timeIntervalSince(now) - 120, "backoff grows")
        #expect(outcomes[2] == .dead)
        #expect(try await database.callDetail(bid: "A", callid: "A-0")?.call.processingState == .failedSTT)
    }

    @Test func permanentFailureDiesAtOnceAndRetryFailedRevivesIt() async throws {
        try await seed(bid: "A", calls: 1)
        let job = try #require(try await queue.claim(stage: .transcribe, workerID: "w"))
        #expect(try await queue.fail(job, error: .permanent("unsupported_audio", "MP3"), durationMs: 1) == .dead)
        let detail = try #require(try await database.callDetail(bid: "A", callid: "A-0"))
        #expect(detail.call.processingState == .failedSTT)
        #expect(detail.call.lastError?.contains("unsupported_audio") == true)
        #expect(try await queue.retryFailed(bid: "A") == 1)
        #expect(try await database.callDetail(bid: "A", callid: "A-0")?.call.processingState == .queued)
        let again = try #require(try await queue.claim(stage: .transcribe, workerID: "w"))
        #expect(again.attempt == 1, "retry-failed gives fresh attempts")
    }

    @Test func expiredLeaseReturnsTheJobAndTheOldHolderCannotComplete() async throws {
        try await seed(bid: "A", calls: 1)
        let now = Date()
        let lost = try #require(try await queue.claim(stage: .transcribe, workerID: "dead-worker", now: now))
        let report = try await queue.rescueExpiredLeases(now: now.addingTimeInterval(31))
        #expect(report.requeued.map(\.id) == [lost.id])
        let rescued = try #require(try await queue.claim(stage: .transcribe, workerID: "w2", now: now.addingTimeInterval(32)))
        #expect(rescued.id == lost.id && rescued.attempt == 2)
        await #expect(throws: JobQueue.LeaseLost.self) {
            try await database.writer.write { db in try JobQueue.markDone(db, job: lost, now: now) }
        }
        try await database.writer.write { db in try JobQueue.markDone(db, job: rescued, now: now) }
    }

    @Test func leaseExpiryOnTheLastAttemptBuriesTheJob() async throws {
        try await seed(bid: "A", calls: 1)
        var now = Date()
        for _ in 1...3 {
            _ = try #require(try await queue.claim(stage: .transcribe, workerID: "crashy", now: now))
            now = now.addingTimeInterval(60)
            _ = try await queue.rescueExpiredLeases(now: now)
        }
        #expect(try await database.callDetail(bid: "A", callid: "A-0")?.call.processingState == .failedSTT)
        #expect(try await queue.depths()[.transcribe]?[.dead] == 1)
    }

    @Test func oneFloodingBIDDoesNotStarveTheOthers() async throws {
        let now = Date()
        try await seed(bid: "flood", calls: 200, at: now.addingTimeInterval(-100))
        try await seed(bid: "quiet1", calls: 2, at: now)
        try await seed(bid: "quiet2", calls: 2, at: now)
        var order: [String] = []
        for step in 0..<6 {
            let job = try #require(try await queue.claim(stage: .transcribe, workerID: "w", now: now.addingTimeInterval(1 + Double(step))))
            order.append(job.bid)
            try await database.writer.write { db in try JobQueue.markDone(db, job: job, now: now) }
        }
        #expect(order.filter { $0 == "flood" }.count == 2, "round robin across BIDs: \(order)")
        #expect(Set(order.prefix(3)) == ["flood", "quiet1", "quiet2"])
    }

    @Test func fewestRunningJobsGoesFirst() async throws {
        let now = Date()
        try await seed(bid: "A", calls: 5, at: now.addingTimeInterval(-10))
        try await seed(bid: "B", calls: 5, at: now)
        let first = try #require(try await queue.claim(stage: .transcribe, workerID: "w1", now: now.addingTimeInterval(1)))
        let second = try #require(try await queue.claim(stage: .transcribe, workerID: "w2", now: now.addingTimeInterval(1)))
        #expect(first.bid != second.bid)
    }
}

@Suite struct DatabaseTimestampTests {
    /// The fast formatter must store exactly what GRDB stores, or text comparisons of times would break.
    @Test func matchesGRDBsOwnEncoding() throws {
        let dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_773_232_420.999), Date(timeIntervalSince1970: 1_800_000_000.0005),
                     Date(), Date(timeIntervalSinceReferenceDate: 123_456_789.123)]
        let random = (0..<5000).map { _ in Date(timeIntervalSince1970: Double.random(in: 1_600_000_000...1_900_000_000)) }
        for date in dates + random {
            #expect(DatabaseTimestamp(date).databaseValue == date.databaseValue, "\(date)")
        }
    }
}
