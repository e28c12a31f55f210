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
    /// For channels left out because their config is incomplete: the first missing key (`email.smtp_url`, …).
    public var missingNotifierKeys: [String: String] = [:]

    public init(speechToText: [String: any SpeechToText] = [:], analyzers: [String: any CallAnalyzer] = [:], notifiers: [String: any Notifier] = [:]) {
        self.speechToText = speechToText
        self.analyzers = analyzers
        self.notifiers = notifiers
    }

    /// What this build ships: the metrics analyzer and the file outbox. Speech engines arrive with the STT work.
    public static func builtIn(dataDir: String) -> ProviderRegistry {
        ProviderRegistry(
            speechToText: ["drill": DrillSpeechToText()],
            analyzers: ["metrics": MetricsAnalyzer(), "rules": RulesAnalyzer()],
            notifiers: ["outbox": OutboxNotifier(directory: dataDir + "/outbox")]
        )
    }

    /// Everything this build ships, speech engines included: `local` (the supervised faster-whisper helper),
    /// `whisper` (an OpenAI-compatible server), `sarvam` and `deepgram` (cloud APIs, when `[stt]` has their keys).
    /// Each labels agent and customer: stereo by channel, mono by diarization where the engine has it.
    /// Notifiers: `outbox` always, `email` and `whatsapp` when `[email]` / `[whatsapp]` are configured.
    public static func builtIn(config: PCAAConfig, localEndpoint: LocalSTTEndpoint) -> ProviderRegistry {
        var registry = builtIn(dataDir: config.storage.dataDir)
        let stt = config.stt
        let timeout = Double(stt.timeoutSeconds)
        registry.speechToText["local"] = ChannelAwareTranscriber(
            engine: LocalWhisperEngine(endpoint: localEndpoint, model: stt.localModel, timeout: timeout))
        if !stt.whisperBaseURL.isEmpty {
            let client = OpenAITranscriptionClient(
                name: "whisper", baseURL: stt.whisperBaseURL, apiKey: stt.whisperAPIKey.isEmpty ? nil : stt.whisperAPIKey,
                model: stt.whisperModel, timeout: timeout)
            registry.speechToText["whisper"] = ChannelAwareTranscriber(engine: ChunkedTranscriber(
                engine: client, maxChunkSeconds: ChunkedTranscriber.maxSeconds(uploadBytes: client.maxUploadBytes)))
        }
        if !stt.sarvamAPIKey.isEmpty {
            registry.speechToText["sarvam"] = sarvam(config: stt)
        }
        if !stt.deepgramAPIKey.isEmpty {
            registry.speechToText["deepgram"] = DeepgramClient(
                baseURL: stt.deepgramBaseURL, apiKey: stt.deepgramAPIKey, model: stt.deepgramModel, timeout: timeout)
        }
        registry.analyzers.merge(languageModels(config: config.analysis)) { _, new in new }
        registry.addDeliveryChannels(config: config)
        return registry
    }

    /// The built-in registry with the live channels `[email]` and `[whatsapp]` configure: for commands that deliver
    /// (digests) without running the pipeline.
    public static func delivery(config: PCAAConfig) -> ProviderRegistry {
        var registry = builtIn(dataDir: config.storage.dataDir)
        registry.addDeliveryChannels(config: config)
        return registry
    }

    /// Registers `email` and `whatsapp` when configured, else remembers the key each one lacks.
    mutating func addDeliveryChannels(config: PCAAConfig) {
        if let email = EmailSettings(config: config.email) {
            notifiers["email"] = EmailNotifier(settings: email)
        } else {
            missingNotifierKeys["email"] = config.email.missingKey
        }
        if let whatsapp = WhatsAppSettings(config: config.whatsapp) {
            notifiers["whatsapp"] = WhatsAppNotifier(settings: whatsapp)
        } else {
            missingNotifierKeys["whatsapp"] = config.whatsapp.missingKey
        }
    }

    /// The language-model analyzers `[analysis]` configures: `bedrock` with AWS credentials, `openai` with a base URL.
    static func languageModels(config analysis: PCAAConfig.Analysis) -> [String: any CallAnalyzer] {
        var analyzers: [String: any CallAnalyzer] = [:]
        let timeout = Double(analysis.timeoutSeconds)
        if analysis.bedrockMissing == nil {
            let credentials = AWSCredentials(accessKeyID: analysis.awsAccessKeyID, secretAccessKey: analysis.awsSecretAccessKey,
                                             sessionToken: analysis.awsSessionToken)
            analyzers["bedrock"] = LanguageModelAnalyzer(name: "bedrock", client: BedrockConverseClient(
                model: analysis.bedrockModel, region: analysis.region, endpoint: analysis.resolvedBedrockEndpoint,
                credentials: credentials, timeout: timeout, maxTokens: analysis.maxTokens, temperature: analysis.temperature))
        }
        if analysis.openaiMissing == nil {
            analyzers["openai"] = LanguageModelAnalyzer(name: "openai", client: OpenAIChatClient(
                baseURL: analysis.openaiBaseURL, apiKey: analysis.openaiAPIKey, model: analysis.openaiModel, timeout: timeout,
                maxTokens: analysis.maxTokens, temperature: analysis.temperature))
        }
        return analyzers
    }

    /// Sarvam: channels through the synchronous endpoint in ~30 s pieces; mono calls through the diarizing batch
    /// job API unless `sarvam_diarize` is off.
    static func sarvam(config stt: PCAAConfig.STT) -> any SpeechToText {
        let settings = SarvamSettings(
            baseURL: stt.sarvamBaseURL, apiKey: stt.sarvamAPIKey, model: stt.sarvamModel, mode: stt.sarvamMode,
            timeout: Double(stt.timeoutSeconds), pollInterval: stt.sarvamPollIntervalSeconds)
        let sync = ChunkedTranscriber(engine: SarvamSyncClient(settings: settings), maxChunkSeconds: settings.maxSyncSeconds)
        return ChannelAwareTranscriber(
            channelEngine: sync, monoEngine: stt.sarvamDiarize ? SarvamBatchClient(settings: settings) : sync)
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
        let reason = switch name {
        case "sarvam", "deepgram": "stt.\(name)_api_key is not set (or PCAA_STT_\(name.uppercased())_API_KEY)"
        case "whisper": "stt.whisper_base_url is not set"
        default: "no engine with this name is built into pcaa \(PCAAVersion.current)"
        }
        let unavailable = UnavailableSpeechToText(name: name, reason: reason)
        return faultPlan.map { FaultInjectingSpeechToText(base: unavailable, plan: $0) } ?? unavailable
    }

    /// `email.password is not set (or PCAA_EMAIL_PASSWORD)`-style advice for a missing key.
    static func missingSetting(_ key: String) -> String {
        "\(key) is not set (or PCAA_\(key.replacingOccurrences(of: ".", with: "_").uppercased()))"
    }

    public func analyzer(named name: String) -> any CallAnalyzer {
        if let analyzer = analyzers[name] { return analyzer }
        let reason = switch name {
        case "bedrock": PCAAConfig.Analysis().bedrockMissing ?? "analysis.aws_access_key_id is not set"
        case "openai": PCAAConfig.Analysis().openaiMissing ?? "analysis.openai_base_url is not set"
        default: "not built into pcaa \(PCAAVersion.current)"
        }
        return UnavailableAnalyzer(name: name, reason: reason)
    }

    /// nil for `none`: the BID asked for no notifications. A channel that is not configured names the missing key.
    public func notifier(named name: String) -> (any Notifier)? {
        if name == "none" { return nil }
        if let notifier = notifiers[name] { return notifier }
        let reason = switch name {
        case "email", "whatsapp": Self.missingSetting(missingNotifierKeys[name] ?? (name == "email" ? "email.smtp_url" : "whatsapp.phone_number_id"))
        default: "not built into pcaa \(PCAAVersion.current)"
        }
        return UnavailableNotifier(name: name, reason: reason)
    }
}
