import Foundation
import PCAACore
import PCAANet
import PCAAPipeline

/// The real `pcaa serve` binary as a child process, for crash (SIGKILL) and SIGTERM tests.
final class ChildDaemon: @unchecked Sendable {
    let dataDir: String
    let port: Int
    let configPath: String
    let platformSecret = "child-platform-secret-0123456789"
    let client = CurlHTTPClient(userAgent: "pcaa-crash-test")
    private var process: Process?
    private let lock = NSLock()

    /// The `pcaa` executable built next to the test bundle.
    static var binary: String {
        let testBinary = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("pcaa").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("pcaa").path
    }

    init(extraConfig: String = "") throws {
        dataDir = TestDaemon.temporaryDirectory()
        port = try FreePort.loopback()
        configPath = dataDir + "/pcaa.toml"
        let toml = """
            [server]
            listen = "127.0.0.1:\(port)"
            [storage]
            data_dir = "\(dataDir)/var"
            synchronous = "full"
            [workers]
            poll_interval_ms = 50
            shutdown_grace_s = 10
            [queue]
            lease_s = 2
            rescuer_interval_s = 1
            backoff_base_s = 0.1
            backoff_max_s = 1.0
            [defaults]
            stt_provider = "drill"
            [logging]
            level = "warning"
            \(extraConfig)
            """
        try toml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var databasePath: String { dataDir + "/var/pcaa.sqlite" }

    /// Starts the daemon and waits until `/health` answers.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--config", configPath]
        var environment = ProcessInfo.processInfo.environment
        environment["PCAA_PLATFORM_SECRET"] = platformSecret
        process.environment = environment
        let log = dataDir + "/serve.log"
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        lock.withLock { self.process = process }
        let healthy = await eventually(timeout: 60) {
            (try? await client.send(HTTPRequest(url: baseURL + "/health", timeout: 2)))?.status == 200
        }
        guard healthy else { throw TestFailure("daemon did not become healthy; see \(log)") }
    }

    /// Sends `signal` and waits for the process to exit; returns its termination status.
    @discardableResult
    func stop(signal: Int32) async -> Int32 {
        guard let process = lock.withLock({ self.process }) else { return -1 }
        kill(process.processIdentifier, signal)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }

    // MARK: Requests

    func post(_ path: String, json: String, secret: String) async throws -> PCAANet.HTTPResponse {
        let body = Array(json.utf8)
        return try await client.send(HTTPRequest(
            method: "POST", url: baseURL + path,
            headers: [("Content-Type", "application/json"), (WebhookSignature.headerName, WebhookSignature.sign(body: body, secret: secret))],
            body: body, timeout: 5, connectTimeout: 2
        ))
    }

    func activate(_ bid: String) async throws -> String {
        let response = try await post("/webhook/bid-activated", json: #"{"event":"pcaa.activated","bid":"\#(bid)","plan":"standard"}"#,
                                      secret: platformSecret)
        guard let secret = try response.json()["webhook_secret"] as? String else { throw TestFailure("activation: \(response.bodyString)") }
        return secret
    }

    /// Posts like Mcube, but keeps retrying through restarts (up to `attempts`): returns the first 2xx answer, or nil.
    func deliver(_ payload: CallPayload, secret: String, attempts: Int = 30) async -> String? {
        for _ in 0..<attempts {
            if let response = try? await post("/webhook/call-completed", json: payload.json, secret: secret), response.status == 200 {
                return (try? response.json())?["status"] as? String
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}
