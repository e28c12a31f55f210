import Foundation

/// Awaits a condition by re-checking it (every 20 ms) until it holds or `timeout` passes; returns whether it held. Generous
/// on purpose: the whole suite runs in parallel on a 2-core CI box, where a one-call pipeline has taken over 30 s.
func eventually(timeout: Double = 90, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
