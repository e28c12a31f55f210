import Foundation
import Logging
import PCAACore
import PCAAHTTP
import PCAANet
import PCAAPipeline
import PCAAStore

/// A real pcaa daemon for one test: its own temp data directory, a real SQLite file, the real HTTP server on an
/// ephemeral loopback port and the real workers. Requests go through libcurl.
final class TestDaemon: Sendable {
    let config: PCAAConfig
    let port: Int
    let database: AppDatabase
    let platformSecret: String
    let faultPlan: FaultPlan?
    let alerts: AlertGate
    private let running: RunningDaemon
    let client = CurlHTTPClient(userAgent: "pcaa-tests")

    /// A config for tests: temp data dir, port 0, fast polling, short leases and backoff.
    static func testConfig(dataDir: String? = nil) -> PCAAConfig {
        var config = PCAAConfig()
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.storage.dataDir = dataDir ?? TestDaemon.temporaryDirectory()
        config.storage.synchronous = "normal"
        config.security.platformSecret = "platform-secret-for-tests-0123456789"
        config.workers.pollIntervalMs = 20
        config.workers.shutdownGraceSeconds = 10
        config.queue.backoffBaseSeconds = 0.05
        config.queue.backoffMaxSeconds = 0.2
        config.queue.rescuerIntervalSeconds = 1
        config.defaults.sttProvider = "scripted"
        config.logging.level = "error"
        return config
    }

    /// A fresh directory under this test process's own root (`pcaa-tests-<pid>`).
    static func temporaryDirectory() -> String {
        let path = testRoot + "/" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Created once per test process; roots left by test processes that are gone are removed first, so repeated
    /// runs do not fill the disk while running daemons keep their files until the process ends.
    static let testRoot: String = {
        let base = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix("pcaa-tests-") {
            if let pid = Int32(name.dropFirst("pcaa-tests-".count)), kill(pid, 0) != 0 {
                try? FileManager.default.removeItem(atPath: base + name)
            }
        }
        let root = base + "pcaa-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }()

    /// Starts the daemon and returns once it is listening.
    static func start(config: PCAAConfig = testConfig(), providers: ProviderRegistry? = nil) async throws -> TestDaemon {
        var logger = Logger(label: "test-daemon")
        logger.logLevel = .error
        let registry = providers ?? TestProviders.registry(dataDir: config.storage.dataDir)
        return TestDaemon(config: config, running: try await RunningDaemon.start(config: config, providers: registry, logger: logger))
    }

    private init(config: PCAAConfig, running: RunningDaemon) {
        self.config = config
        self.running = running
        self.port = running.port
        self.database = running.database
        self.platformSecret = running.environment.platformSecret
        self.faultPlan = running.faultPlan
        self.alerts = running.environment.alerts
    }

    /// Graceful shutdown (as SIGTERM would), waiting until every service has returned.
    func stop() async {
        await running.stop()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    // MARK: Requests

    func post(_ path: String, body: [UInt8], headers: [(name: String, value: String)] = []) async throws -> PCAANet.HTTPResponse {
        try await client.send(HTTPRequest(method: "POST", url: baseURL + path, headers: [("Content-Type", "application/json")] + headers, body: body))
    }

    func get(_ path: String, headers: [(name: String, value: String)] = []) async throws -> PCAANet.HTTPResponse {
        try await client.send(HTTPRequest(method: "GET", url: baseURL + path, headers: headers))
    }

    /// Posts `json` signed with `secret` (nil: no signature header).
    func postSigned(_ path: String, json: String, secret: String?) async throws -> PCAANet.HTTPResponse {
        let body = Array(json.utf8)
        let headers = secret.map { [(name: WebhookSignature.headerName, value: WebhookSignature.sign(body: body, secret: $0))] } ?? []
        return try await post(path, body: body, headers: headers)
    }

    /// Activates `bid` through the real webhook and returns its webhook secret.
    @discardableResult
    func activate(_ bid: String, activatedAt: String = "2026-03-11T10:00:00Z", extra: String = "") async throws -> String {
        let json = #"{"event":"pcaa.activated","bid":"\#(bid)","business_name":"Test \#(bid)","plan":"standard","activated_at":"\#(activatedAt)","paid_until":"2027-04-11T10:00:00Z"\#(extra)}"#
        let response = try await postSigned("/webhook/bid-activated", json: json, secret: platformSecret)
        guard response.status == 200, let secret = try response.json()["webhook_secret"] as? String else {
            throw TestFailure("activation failed: \(response.status) \(response.bodyString)")
        }
        return secret
    }

    func deactivate(_ bid: String, occurredAt: String? = nil) async throws -> PCAANet.HTTPResponse {
        let time = occurredAt.map { #","occurred_at":"\#($0)""# } ?? ""
        return try await postSigned("/webhook/bid-deactivated", json: #"{"event":"pcaa.deactivated","bid":"\#(bid)","reason":"payment_lapsed"\#(time)}"#,
                                    secret: platformSecret)
    }

    /// Posts a call-completed webhook built by `CallPayload`.
    func postCall(_ payload: CallPayload, secret: String) async throws -> PCAANet.HTTPResponse {
        try await postSigned("/webhook/call-completed", json: payload.json, secret: secret)
    }

    func callState(_ bid: String, _ callid: String) async throws -> ProcessingState? {
        try await database.callDetail(bid: bid, callid: callid)?.call.processingState
    }
}

/// A thrown test failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension PCAANet.HTTPResponse {
    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(bodyString)")
        }
        return object
    }

    /// `error.code` of the documented error shape.
    var errorCode: String? {
        ((try? json())?["error"] as? [String: Any])?["code"] as? String
    }
}
