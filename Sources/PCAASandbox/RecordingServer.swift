import Foundation
import Hummingbird
import Logging
import PCAACore
import ServiceLifecycle

// The only file of this module that imports Hummingbird (whose HTTPRequest/HTTPResponse clash with PCAANet's).

/// Plays Mcube's recording store: `GET /recordings/{name}.wav` answers ``SyntheticRecording/wav(named:)`` (or, when
/// `spokenRecordings` are given, one of them picked by the name), and 404 for names outside `knownNames` (or, with
/// no list, names that are not safe call ids).
public struct RecordingServer: Sendable {
    public var host: String
    public var knownNames: Set<String>?
    /// Real spoken calls (whole WAV files) to serve instead of synthetic tones.
    public var spokenRecordings: [[UInt8]] = []

    public init(host: String = "127.0.0.1", knownNames: Set<String>? = nil) {
        self.host = host
        self.knownNames = knownNames
    }

    /// Starts the server on an ephemeral port, runs `body` with its base URL (`http://host:port`), then stops it.
    public func withRunning<T: Sendable>(_ body: (_ baseURL: String) async throws -> T) async throws -> T {
        var logger = Logger(label: "pcaa.sandbox.recordings")
        logger.logLevel = .warning
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: 0), serverName: "mcube-sandbox"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let host = host
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                if let result = await group.nextResult(), case .failure(let error) = result {
                    throw SandboxError.recordingServerFailed("\(error)")
                }
                throw SandboxError.recordingServerFailed("no port was bound on \(host)")
            }
            // Stop gracefully (no error logged for the listening channel) and wait for it, whether `body` returned or threw:
            // leaving the group by a throw would cancel the server mid-shutdown.
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body("http://\(urlHost(host)):\(port)"))
            } catch {
                outcome = .failure(error)
            }
            await services.triggerGracefulShutdown()
            _ = await group.nextResult()
            return try outcome.get()
        }
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        let knownNames = knownNames
        let spoken = spokenRecordings
        router.get("recordings/:file") { _, context -> Response in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".wav") else { return Self.notFound() }
            let name = String(file.dropLast(4))
            let known = knownNames.map { $0.contains(name) } ?? SafeIdentifier.isValidCallID(name)
            guard known else { return Self.notFound() }
            var pick = SeededGenerator(hashing: name)
            let bytes = spoken.isEmpty ? SyntheticRecording.wav(named: name) : spoken[Int(pick.next() % UInt64(spoken.count))]
            return Response(
                status: .ok,
                headers: [.contentType: "audio/wav", .contentLength: "\(bytes.count)"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return router
    }

    private static func notFound() -> Response {
        Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "no such recording")))
    }

    private func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
