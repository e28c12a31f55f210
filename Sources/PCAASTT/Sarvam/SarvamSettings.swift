/// How to reach Sarvam's speech-to-text API (`[stt] sarvam_*`).
public struct SarvamSettings: Sendable {
    /// `https://api.sarvam.ai` (no version prefix).
    public var baseURL: String
    /// Sent as `api-subscription-key`; never printed.
    var apiKey: String
    /// `saaras:v3` (with `mode`) or the legacy `saarika:v2.5`.
    public var model: String
    /// `transcribe | translate | verbatim | translit | codemix`; only sent to saaras models.
    public var mode: String
    /// Whole-request timeout for synchronous calls, and the limit for a batch job from creation to result.
    public var timeout: Double
    /// Seconds between batch job status polls.
    public var pollInterval: Double
    /// Audio per synchronous request (the endpoint takes about 30 s).
    public var maxSyncSeconds: Double

    public init(baseURL: String = "https://api.sarvam.ai", apiKey: String, model: String = "saaras:v3", mode: String = "transcribe",
                timeout: Double = 600, pollInterval: Double = 5, maxSyncSeconds: Double = 28) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.mode = mode
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.maxSyncSeconds = maxSyncSeconds
    }

    /// `base` + `path`, with any trailing slash of the base removed.
    func url(_ path: String) -> String {
        var base = baseURL.trimmingSpaces
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// The mode is a saaras feature; saarika rejects it.
    var sendsMode: Bool { model.lowercased().hasPrefix("saaras") }

    var authHeaders: [(name: String, value: String)] {
        [(name: "api-subscription-key", value: apiKey), (name: "Accept", value: "application/json")]
    }
}

extension SarvamSettings: CustomStringConvertible, CustomReflectable {
    public var description: String { "SarvamSettings(baseURL: \(baseURL), model: \(model), mode: \(mode), apiKey: [redacted])" }
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL, "model": model, "mode": mode, "apiKey": "[redacted]"]) }
}
