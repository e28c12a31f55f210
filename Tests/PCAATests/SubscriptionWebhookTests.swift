import Foundation
import GRDB
import PCAACore
import PCAAStore
import Testing

/// `bid-activated` / `bid-deactivated`: platform-signed, provisioning, ordering (seed §6).
@Suite struct SubscriptionWebhookTests {
    static func daemon() async throws -> TestDaemon {
        var config = TestDaemon.testConfig()
        config.workers.transcribe = 0
        return try await TestDaemon.start(config: config)
    }

    @Test func activationProvisionsConfigAndRubricAndReturnsTheSecret() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004", extra: #","template":"support""#)
        #expect(secret.count == 64)
        let (config, parameters, status) = try await daemon.database.writer.read { db in
            (try BidConfig.fetchOne(db, key: "6004"),
             try QualityParameter.filter(Column("bid") == "6004").fetchAll(db),
             try String.fetchOne(db, sql: "SELECT status FROM subscriptions WHERE bid = '6004'"))
        }
        #expect(status == "active")
        #expect(config?.sttProvider == "scripted" && config?.minCallDurationS == 10 && config?.qualityTemplate == "support")
        #expect(parameters.count == QualityTemplates.template(named: "support").count)
        #expect(parameters.map(\.weight).reduce(0, +) == 100)
        #expect(try await daemon.activate("6004") == secret, "re-activation keeps the secret Mcube already signs with")
    }

    @Test func activationNeedsThePlatformSignature() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        let json = #"{"event":"pcaa.activated","bid":"6004"}"#
        #expect(try await daemon.postSigned("/webhook/bid-activated", json: json, secret: "not-the-platform-secret").status == 401)
        #expect(try await daemon.postSigned("/webhook/bid-activated", json: json, secret: nil).status == 401)
        #expect(try await daemon.database.subscription(bid: "6004") == nil)
        let invalid = try await daemon.postSigned("/webhook/bid-activated", json: #"{"bid":"60 04"}"#, secret: daemon.platformSecret)
        #expect(invalid.status == 422)
    }

    @Test func replayedOlderActivationDoesNotUndoANewerDeactivation() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        try await daemon.activate("6004", activatedAt: "2026-03-11T10:00:00Z")
        #expect(try await daemon.deactivate("6004", occurredAt: "2026-04-11T10:00:00Z").status == 200)
        let replay = try await daemon.postSigned(
            "/webhook/bid-activated",
            json: #"{"event":"pcaa.activated","bid":"6004","plan":"standard","activated_at":"2026-03-11T10:00:00Z"}"#,
            secret: daemon.platformSecret
        )
        #expect(replay.status == 200)
        #expect(try replay.json()["status"] as? String == "ignored")
        #expect(try await daemon.database.subscription(bid: "6004")?.status == .suspended)

        let renewal = try await daemon.postSigned(
            "/webhook/bid-activated",
            json: #"{"event":"pcaa.activated","bid":"6004","plan":"premium","activated_at":"2026-05-11T10:00:00Z"}"#,
            secret: daemon.platformSecret
        )
        #expect(try renewal.json()["status"] as? String == "activated")
        #expect(try await daemon.database.subscription(bid: "6004")?.status == .active)
    }

    @Test func deactivationArrivingBeforeItsOlderActivationWins() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        #expect(try await daemon.deactivate("6010", occurredAt: "2026-04-01T00:00:00Z").status == 200)
        let late = try await daemon.postSigned(
            "/webhook/bid-activated", json: #"{"event":"pcaa.activated","bid":"6010","activated_at":"2026-03-01T00:00:00Z"}"#,
            secret: daemon.platformSecret
        )
        #expect(try late.json()["status"] as? String == "ignored")
        #expect(try await daemon.database.subscription(bid: "6010")?.status == .suspended)
    }

    @Test func rotatedSecretKeepsWorkingDuringGrace() async throws {
        let daemon = try await Self.daemon()
        defer { Task { await daemon.stop() } }
        let old = try await daemon.activate("6004")
        let rotated = try #require(try await daemon.database.rotateSecret(bid: "6004", graceHours: 1, now: Date()))
        #expect(rotated.webhookSecret != old)
        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "1"), secret: old).status == 200)
        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "2"), secret: rotated.webhookSecret).status == 200)
        _ = try await daemon.database.rotateSecret(bid: "6004", graceHours: 0, now: Date())
        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "3"), secret: old).status == 401)
    }
}
