import PCAAAnalysis
import PCAACore
import PCAADelivery
import PCAASTT

/// Resolves the providers a BID's `bid_config` names. Names without an engine in this build resolve to an
/// `Unavailable…` provider, so the call fails with a clear permanent error instead of hanging or inventing output.
public struct ProviderRegistry: Sendable {
    public var speechToText: [String: any SpeechToText]
    public var analyzers: [String: any CallAnalyzer]
    public var notifiers: [String: any Notifier]
    /// Set when speech engines are wrapped in the fault injector; also applied to engines named but not built in.
    public private(set) var faultPlan: FaultPlan?

    public init(speechToText: [String: any SpeechToText] = [:], analyzers: [String: any CallAnalyzer] = [:], notifiers: [String: any Notifier] = [:]) {
        self.speechToText = speechToText
        self.analyzers = analyzers
        self.notifiers = notifiers
    }

    /// What this build ships: the metrics analyzer and the file outbox. Speech engines arrive with the STT work.
    public static func builtIn(dataDir: String) -> ProviderRegistry {
        ProviderRegistry(
            speechToText: ["drill": DrillSpeechToText()],
            analyzers: ["metrics": MetricsAnalyzer()],
            notifiers: ["outbox": OutboxNotifier(directory: dataDir + "/outbox")]
        )
    }

    /// Everything this build ships, speech engines included: `local` (the supervised faster-whisper helper) and
    /// `whisper` (an OpenAI-compatible server from `[stt]`), both split by channel and labelled by role.
    public static func builtIn(config: PCAAConfig, localEndpoint: LocalSTTEndpoint) -> ProviderRegistry {
        var registry = builtIn(dataDir: config.storage.dataDir)
        let timeout = Double(config.stt.timeoutSeconds)
        registry.speechToText["local"] = ChannelAwareTranscriber(
            engine: LocalWhisperEngine(endpoint: localEndpoint, model: config.stt.localModel, timeout: timeout))
        if !config.stt.whisperBaseURL.isEmpty {
            registry.speechToText["whisper"] = ChannelAwareTranscriber(engine: OpenAITranscriptionClient(
                name: "whisper", baseURL: config.stt.whisperBaseURL, apiKey: config.stt.whisperAPIKey.isEmpty ? nil : config.stt.whisperAPIKey,
                model: config.stt.whisperModel, timeout: timeout))
        }
        return registry
    }

    /// The same registry with every speech engine wrapped in the fault injector (see `[faults]`).
    public func injectingFaults(_ plan: FaultPlan) -> ProviderRegistry {
        var copy = self
        copy.speechToText = speechToText.mapValues { FaultInjectingSpeechToText(base: $0, plan: plan) }
        copy.faultPlan = plan
        return copy
    }

    public func speechToText(named name: String) -> any SpeechToText {
        if let engine = speechToText[name] { return engine }
        let unavailable = UnavailableSpeechToText(name: name, reason: "no engine with this name is built into pcaa \(PCAAVersion.current)")
        return faultPlan.map { FaultInjectingSpeechToText(base: unavailable, plan: $0) } ?? unavailable
    }

    public func analyzer(named name: String) -> any CallAnalyzer {
        analyzers[name] ?? UnavailableAnalyzer(name: name, reason: "not built into pcaa \(PCAAVersion.current)")
    }

    /// nil for `none`: the BID asked for no notifications.
    public func notifier(named name: String) -> (any Notifier)? {
        if name == "none" { return nil }
        return notifiers[name] ?? UnavailableNotifier(name: name, reason: "not built into pcaa \(PCAAVersion.current)")
    }
}
