/// What `pcaa sandbox` does: which daemon to drive, how many BIDs and calls, how fast, and how long to wait.
public struct SandboxOptions: Sendable {
    /// Base URL of the pcaa daemon, e.g. `http://127.0.0.1:8002` (a trailing `/` is ignored).
    public var target: String
    /// Number of BIDs to activate (at least 1).
    public var bids: Int
    /// Number of distinct calls to post, spread over the BIDs (duplicates are posted on top of these).
    public var calls: Int
    /// Overall webhook POSTs per second across all senders; 0 = as fast as possible.
    public var ratePerSecond: Double
    /// How long to wait, once every webhook was posted, for the calls to reach a terminal state.
    public var timeoutSeconds: Double
    /// The daemon's platform secret, which signs the `pcaa.activated` webhooks.
    public var platformSecret: String
    /// Seed of the call plan (mix of kinds, durations, agents, directions).
    public var seed: UInt64
    /// Parallel webhook senders (and parallel verification requests).
    public var concurrency: Int
    /// Start of every BID name.
    public var bidPrefix: String
    /// Inserted after `bidPrefix` so repeated runs against one daemon do not collide: nil = a random 4-character
    /// tag (BIDs `sbxk3qz-1`, `sbxk3qz-2`, …); `""` = none, so the BIDs are exactly `<bidPrefix><n>`.
    public var runTag: String?
    /// Sent as `Authorization: Bearer …` to the status and call-record endpoints when not empty.
    public var opsToken: String
    /// Address the recording server binds (and puts in `recording_url`); it must be reachable by the daemon.
    public var recordingHost: String
    /// Spoken recordings (WAV files) served instead of synthetic tones, so calls have words to transcribe and score.
    public var spokenRecordings: [[UInt8]] = []

    public init(
        target: String = "http://127.0.0.1:8002",
        bids: Int = 5,
        calls: Int = 100,
        ratePerSecond: Double = 50,
        timeoutSeconds: Double = 300,
        platformSecret: String,
        seed: UInt64 = 42,
        concurrency: Int = 8,
        bidPrefix: String = "sbx",
        runTag: String? = nil,
        opsToken: String = "",
        recordingHost: String = "127.0.0.1"
    ) {
        self.target = target
        self.bids = bids
        self.calls = calls
        self.ratePerSecond = ratePerSecond
        self.timeoutSeconds = timeoutSeconds
        self.platformSecret = platformSecret
        self.seed = seed
        self.concurrency = concurrency
        self.bidPrefix = bidPrefix
        self.runTag = runTag
        self.opsToken = opsToken
        self.recordingHost = recordingHost
    }

    /// `target` without a trailing slash.
    var baseURL: String {
        var url = target
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Headers for the daemon's authenticated (ops) endpoints.
    var opsHeaders: [(name: String, value: String)] {
        opsToken.isEmpty ? [] : [(name: "Authorization", value: "Bearer \(opsToken)")]
    }
}
