import Foundation

/// Step 5: reads back every acknowledged call from `GET /call-records/{bid}/{callid}`.
struct CallVerifier {
    let client: DaemonClient
    let concurrency: Int

    /// Fills in ``SandboxCall/verification`` for each acknowledged call.
    func verify(_ calls: [SandboxCall]) async throws -> [SandboxCall] {
        var results = calls
        let targets = calls.indices.filter { calls[$0].delivery.isAcknowledged }
        try await withThrowingTaskGroup(of: (Int, CallVerification).self) { group in
            var pending = targets.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let index = pending.next() else { break }
                let call = calls[index].call
                group.addTask { (index, try await verify(bid: call.bid, callid: call.callid)) }
            }
            while let (index, verification) = try await group.next() {
                results[index].verification = verification
                if let next = pending.next() {
                    let call = calls[next].call
                    group.addTask { (next, try await verify(bid: call.bid, callid: call.callid)) }
                }
            }
        }
        return results
    }

    func verify(bid: String, callid: String) async throws -> CallVerification {
        let answer: DaemonClient.JSONAnswer
        do {
            answer = try await client.getJSON("/call-records/\(bid)/\(callid)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .unverifiable("\(error)")
        }
        if answer.status == 404 { return .missing }
        guard answer.status == 200, let json = answer.json else {
            return .unverifiable("HTTP \(answer.status) \(answer.text)")
        }
        return CallVerification(callRecord: json)
    }
}
