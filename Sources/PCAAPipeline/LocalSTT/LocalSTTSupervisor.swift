import Foundation
import Logging
import PCAACore
import PCAANet
import PCAASTT
import ServiceLifecycle

/// Runs pcaa's local speech helper (`stt/server.py`, faster-whisper) as a child process: starts it on a free
/// loopback port, waits for `/health`, restarts it with backoff when it dies, and stops it (SIGTERM, then SIGKILL)
/// on shutdown. The `local` engine learns where it answers through `LocalSTTEndpoint`.
public struct LocalSTTSupervisor: Service {
    let settings: PCAAConfig.STT
    let endpoint: LocalSTTEndpoint
    let logger: Logger

    public init(settings: PCAAConfig.STT, endpoint: LocalSTTEndpoint, logger: Logger = Logger(label: "stt_helper")) {
        self.settings = settings
        self.endpoint = endpoint
        self.logger = logger
    }

    public func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: settings.localPython), FileManager.default.fileExists(atPath: settings.localScript) else {
            let reason = "the local speech helper is not installed (\(settings.localPython) or \(settings.localScript) missing); run stt/setup.sh"
            await endpoint.set(.unavailable(reason))
            logger.warning("stt_helper_unavailable", metadata: ["detail": "\(reason)"])
            try? await gracefulShutdown()
            return
        }
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let started = ContinuousClock.now
            await runOnce()
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            failures = Elapsed.seconds(since: started) > 300 ? 1 : failures + 1
            let delay = min(30, 1 << min(failures, 5))
            logger.error("stt_helper_exited", metadata: ["restart_in_s": .stringConvertible(delay), "failures": .stringConvertible(failures)])
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(delay)) }
        }
        await endpoint.set(.unavailable("pcaa is shutting down"))
    }

    /// One life of the helper: start, wait for health, serve until it exits or shutdown begins.
    private func runOnce() async {
        let port: Int
        let process = Process()
        // The helper exits when this pipe closes, so it never outlives pcaa, even after a SIGKILL.
        let lifeline = Pipe()
        defer { try? lifeline.fileHandleForWriting.close() }
        do {
            port = try FreePort.loopback()
            process.executableURL = URL(fileURLWithPath: settings.localPython)
            process.arguments = [settings.localScript, "--host", "127.0.0.1", "--port", "\(port)", "--model", settings.localModel,
                                 "--threads", "\(settings.localThreads)", "--exit-on-stdin-eof"]
            process.standardInput = lifeline
            process.standardOutput = FileHandle.nullDevice
            var environment = ProcessInfo.processInfo.environment
            environment["HF_HUB_OFFLINE"] = "1"
            process.environment = environment
            try process.run()
        } catch {
            await endpoint.set(.starting)
            logger.error("stt_helper_start_failed", metadata: ["error": "\(error)"])
            return
        }
        await endpoint.set(.starting)
        let baseURL = "http://127.0.0.1:\(port)"
        logger.notice("stt_helper_started", metadata: ["pid": .stringConvertible(process.processIdentifier), "model": "\(settings.localModel)"])

        let healthy = await waitHealthy(baseURL: baseURL, process: process)
        if healthy {
            await endpoint.set(.ready(baseURL: baseURL))
            logger.notice("stt_helper_ready", metadata: ["address": "\(baseURL)"])
            while process.isRunning, !Task.isShuttingDownGracefully, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
            }
        } else {
            logger.error("stt_helper_not_healthy", metadata: ["timeout_s": .stringConvertible(settings.localStartTimeoutSeconds)])
        }
        await endpoint.set(.starting)
        if process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(10)
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    private func waitHealthy(baseURL: String, process: Process) async -> Bool {
        let client = CurlHTTPClient(userAgent: "pcaa/\(PCAAVersion.current)")
        let deadline = ContinuousClock.now + .seconds(settings.localStartTimeoutSeconds)
        while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
            if !process.isRunning { return false }
            if let response = try? await client.send(HTTPRequest(url: baseURL + "/health", timeout: 2, connectTimeout: 1)), response.status == 200 {
                return true
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
