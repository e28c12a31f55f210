import Foundation

/// Awaits a condition by re-checking it (every 20 ms) until it holds or `timeout` passes (generous: CI shares 2 cores); returns whether it held.
func eventually(timeout: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
