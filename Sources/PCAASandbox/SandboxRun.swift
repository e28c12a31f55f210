import Foundation

/// One `pcaa sandbox` run: plays Mcube against a running daemon (serve recordings, activate BIDs, post calls,
/// wait for the pipeline, verify every acknowledged call) and reports what happened.
public struct SandboxRun: Sendable {
    public let options: SandboxOptions
    private let log: @Sendable (String) -> Void

    /// `log` receives progress lines (one per step, and periodic progress while posting and waiting).
    public init(options: SandboxOptions, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    /// Carries out the run. Throws ``SandboxError`` when it cannot start (bad options, recording server,
    /// a BID that cannot be activated) and `CancellationError` when cancelled; everything else is in the report.
    public func run() async throws -> SandboxReport {
        try validate()
        let tag = options.runTag ?? CallPlan.randomRunTag()
        let bids = try CallPlan.bidNames(prefix: options.bidPrefix, tag: tag, count: options.bids)
        let plan = CallPlan.make(bids: bids, count: options.calls, seed: options.seed,
                                 callIDEpoch: Int(Date().timeIntervalSince1970))
        let client = DaemonClient(baseURL: options.baseURL, opsHeaders: options.opsHeaders, retry: McubeRetryPolicy())
        var server = RecordingServer(host: options.recordingHost, knownNames: plan.callids)
        server.spokenRecordings = options.spokenRecordings
        let started = ContinuousClock.now

        return try await server.withRunning { recordingBaseURL in
            log("recording server on \(recordingBaseURL); run \(tag.isEmpty ? "without tag" : "tag \(tag)"), seed \(options.seed)")

            let secrets = try await BIDActivator(client: client, platformSecret: options.platformSecret, log: log).activate(bids)

            let kinds = CallKind.allCases.map { kind in "\(plan.calls.filter { $0.kind == kind }.count) \(kind.rawValue)" }
            log("posting \(plan.calls.count) calls (\(kinds.joined(separator: ", "))) at "
                + (options.ratePerSecond > 0 ? "\(options.ratePerSecond)/s" : "full speed")
                + " with \(options.concurrency) senders")
            let sender = CallSender(client: client, recordingBaseURL: recordingBaseURL, secrets: secrets,
                                    pacer: Pacer(ratePerSecond: options.ratePerSecond),
                                    concurrency: options.concurrency, log: log)
            var calls = try await sender.send(plan.calls)

            var acknowledged = Dictionary(uniqueKeysWithValues: bids.map { ($0, 0) })
            for call in calls where call.delivery.isAcknowledged { acknowledged[call.call.bid, default: 0] += 1 }
            log("waiting up to \(Int(options.timeoutSeconds)) s for \(acknowledged.values.reduce(0, +)) acknowledged calls to finish")
            let waiter = PipelineWaiter(client: client, pollInterval: .milliseconds(500), log: log)
            let outcome = try await waiter.wait(acknowledged: acknowledged, timeoutSeconds: options.timeoutSeconds)
            log(outcome.settled ? "pipeline settled" : "pipeline did not settle in time")

            calls = try await CallVerifier(client: client, concurrency: options.concurrency).verify(calls)
            let report = SandboxReport(bids: bids, calls: calls, extraProblems: outcome.problems)
            let elapsed = ContinuousClock.now - started
            log("run finished in \(elapsed.components.seconds) s: \(report.passed ? "passed" : "FAILED"), \(report.problems.count) problems")
            return report
        }
    }

    private func validate() throws {
        let target = options.baseURL.lowercased()
        guard target.hasPrefix("http://") || target.hasPrefix("https://") else {
            throw SandboxError.invalidOptions("--target must be an http(s) URL, got \"\(options.target)\"")
        }
        guard options.bids >= 1 else { throw SandboxError.invalidOptions("--bids must be at least 1") }
        guard options.calls >= 0 else { throw SandboxError.invalidOptions("--calls must not be negative") }
        guard options.ratePerSecond >= 0, options.ratePerSecond.isFinite else {
            throw SandboxError.invalidOptions("--rate must be 0 (unpaced) or a positive number")
        }
        guard options.timeoutSeconds >= 0, options.timeoutSeconds.isFinite else {
            throw SandboxError.invalidOptions("--timeout must not be negative")
        }
        guard options.concurrency >= 1 else { throw SandboxError.invalidOptions("concurrency must be at least 1") }
        guard !options.platformSecret.isEmpty else { throw SandboxError.invalidOptions("--platform-secret is required") }
    }
}
