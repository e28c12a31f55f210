import Foundation

/// Step 3: posts the plan's `call.completed` webhooks with `concurrency` parallel senders at the paced rate.
struct CallSender {
    let client: DaemonClient
    let recordingBaseURL: String
    /// Webhook secret per BID.
    let secrets: [String: String]
    let pacer: Pacer
    let concurrency: Int
    let log: @Sendable (String) -> Void

    /// Sends every call (a ``CallKind/duplicate`` twice) and returns the results in plan order.
    func send(_ calls: [PlannedCall]) async throws -> [SandboxCall] {
        var results: [SandboxCall?] = Array(repeating: nil, count: calls.count)
        let progressStep = max(1, calls.count / 10)
        var done = 0
        var acknowledged = 0
        try await withThrowingTaskGroup(of: SandboxCall.self) { group in
            var pending = calls.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let call = pending.next() else { break }
                group.addTask { try await send(call) }
            }
            while let result = try await group.next() {
                results[result.call.index] = result
                done += 1
                if result.delivery.isAcknowledged { acknowledged += 1 }
                if done % progressStep == 0 || done == calls.count {
                    log("posted \(done)/\(calls.count) calls, \(acknowledged) acknowledged")
                }
                if let call = pending.next() {
                    group.addTask { try await send(call) }
                }
            }
        }
        return results.compactMap { $0 }
    }

    /// One call: the first POST, then (for duplicates, once acknowledged) the identical repeat.
    private func send(_ call: PlannedCall) async throws -> SandboxCall {
        let secret = secrets[call.bid] ?? ""
        let body = call.body(recordingBaseURL: recordingBaseURL, now: Date())
        try await pacer.wait()
        let first = try await client.postSigned("/webhook/call-completed", body: body, secret: secret)
        var result = SandboxCall(call: call, delivery: first)
        if call.postsTwice, first.isAcknowledged {
            try await pacer.wait()
            result.repeatDelivery = try await client.postSigned("/webhook/call-completed", body: body, secret: secret)
        }
        return result
    }
}
