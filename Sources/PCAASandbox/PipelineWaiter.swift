import Foundation

/// One answer of `GET /pipeline/{bid}/status`.
public struct PipelineStatus: Sendable, Equatable {
    public var bid: String
    public var subscriptionStatus: String
    public var total: Int
    public var nonTerminal: Int
    /// Calls per processing state.
    public var counts: [String: Int]

    public init(bid: String, subscriptionStatus: String, total: Int, nonTerminal: Int, counts: [String: Int]) {
        self.bid = bid
        self.subscriptionStatus = subscriptionStatus
        self.total = total
        self.nonTerminal = nonTerminal
        self.counts = counts
    }

    /// Reads the JSON answer; nil when a required field is missing.
    init?(json: [String: Any]) {
        guard let bid = json["bid"] as? String, let total = json["total"] as? Int,
              let nonTerminal = json["non_terminal"] as? Int
        else { return nil }
        self.init(bid: bid, subscriptionStatus: json["subscription_status"] as? String ?? "",
                  total: total, nonTerminal: nonTerminal, counts: json["counts"] as? [String: Int] ?? [:])
    }

    /// Settled: nothing in flight and at least `acknowledged` calls known (more when a fixed BID has older calls).
    public func isSettled(acknowledged: Int) -> Bool {
        nonTerminal == 0 && total >= acknowledged
    }
}

/// Step 4: polls every BID's pipeline status until all are settled or the timeout passes.
struct PipelineWaiter {
    let client: DaemonClient
    let pollInterval: Duration
    let log: @Sendable (String) -> Void

    struct Outcome {
        var settled: Bool
        var latest: [String: PipelineStatus]
        /// BIDs whose status could not be read at the end, with why.
        var problems: [String]
    }

    /// `acknowledged` = distinct call ids that got a 2xx, per BID (every BID of the run, zeros included).
    func wait(acknowledged: [String: Int], timeoutSeconds: Double) async throws -> Outcome {
        let deadline = ContinuousClock.now + .seconds(max(0, timeoutSeconds))
        var latest: [String: PipelineStatus] = [:]
        var errors: [String: String] = [:]
        var fatal: [String: String] = [:]
        var pending = Set(acknowledged.keys)
        var lastLog = ContinuousClock.now
        while true {
            for bid in pending.sorted() {
                do {
                    let answer = try await client.getJSON("/pipeline/\(bid)/status")
                    if answer.status == 200, let json = answer.json, let status = PipelineStatus(json: json) {
                        latest[bid] = status
                        errors[bid] = nil
                        if status.isSettled(acknowledged: acknowledged[bid] ?? 0) { pending.remove(bid) }
                    } else if [401, 403, 404].contains(answer.status) {
                        fatal[bid] = "pipeline status of \(bid): HTTP \(answer.status) \(answer.text)"
                        pending.remove(bid)
                    } else {
                        errors[bid] = "pipeline status of \(bid): HTTP \(answer.status) \(answer.text)"
                    }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    errors[bid] = "pipeline status of \(bid): \(error)"
                }
            }
            let now = ContinuousClock.now
            if pending.isEmpty || now >= deadline { break }
            if now - lastLog >= .seconds(5) {
                lastLog = now
                let inFlight = latest.values.map(\.nonTerminal).reduce(0, +)
                log("waiting: \(acknowledged.count - pending.count)/\(acknowledged.count) BIDs settled, \(inFlight) calls not terminal")
            }
            try await Task.sleep(for: min(pollInterval, deadline - now))
        }
        let settled = pending.isEmpty && fatal.isEmpty
        var problems = fatal.keys.sorted().compactMap { fatal[$0] }
        for bid in pending.sorted() {
            if let error = errors[bid] {
                problems.append(error)
            } else if let status = latest[bid] {
                problems.append("BID \(bid) not settled after \(Int(timeoutSeconds)) s: \(status.nonTerminal) of \(status.total) calls not terminal"
                                + " (\(acknowledged[bid] ?? 0) acknowledged)")
            }
        }
        return Outcome(settled: settled, latest: latest, problems: problems)
    }
}
