import PCAACore

/// The fault rates in force; shared and changeable at run time so a drill can clear the fault.
public actor FaultPlan {
    public private(set) var faults: PCAAConfig.Faults

    public init(_ faults: PCAAConfig.Faults) { self.faults = faults }

    public func update(_ faults: PCAAConfig.Faults) { self.faults = faults }

    /// Which fault (if any) the next call suffers, drawn from the configured rates.
    func draw() -> Fault? {
        let roll = Double.random(in: 0..<1)
        var threshold = faults.sttErrorRate
        if roll < threshold { return .serverError }
        threshold += faults.sttThrottleRate
        if roll < threshold { return .throttled(retryAfter: faults.retryAfterSeconds) }
        threshold += faults.sttTimeoutRate
        if roll < threshold { return .timeout(ms: faults.timeoutMs) }
        threshold += faults.sttSlowRate
        if roll < threshold { return .slow(ms: faults.slowMs) }
        return nil
    }

    enum Fault {
        case serverError
        case throttled(retryAfter: Double)
        case timeout(ms: Int)
        case slow(ms: Int)
    }
}

/// Wraps a speech engine and injects the faults a provider outage produces: 500s, 429 with Retry-After,
/// timeouts and slow answers, each as the same `StageError` the real clients raise.
public struct FaultInjectingSpeechToText: SpeechToText {
    public let base: any SpeechToText
    public let plan: FaultPlan
    public var name: String { base.name }

    public init(base: any SpeechToText, plan: FaultPlan) {
        self.base = base
        self.plan = plan
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        switch await plan.draw() {
        case .serverError?:
            throw StageError.transient("stt_http_500", "\(base.name) answered HTTP 500 (injected fault)")
        case .throttled(let retryAfter)?:
            throw StageError.transient("stt_http_429", "\(base.name) answered HTTP 429 (injected fault)", retryAfter: retryAfter)
        case .timeout(let ms)?:
            try await Task.sleep(for: .milliseconds(ms))
            throw StageError.transient("stt_timeout", "\(base.name) timed out after \(ms) ms (injected fault)")
        case .slow(let ms)?:
            try await Task.sleep(for: .milliseconds(ms))
            return try await base.transcribe(audio: audio, call: call)
        case nil:
            return try await base.transcribe(audio: audio, call: call)
        }
    }
}
