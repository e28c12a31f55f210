import Hummingbird

/// Runs `router` as a real Hummingbird server on 127.0.0.1 (ephemeral port) for the duration of `body`,
/// which receives the base URL (`http://127.0.0.1:PORT`). Used by the fakes of external services.
func withLoopbackServer(_ router: Router<BasicRequestContext>, _ body: (String) async throws -> Void) async throws {
    struct NoPort: Error {}
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        })
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        do {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw NoPort() }
            try await body("http://127.0.0.1:\(port)")
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
    }
}
