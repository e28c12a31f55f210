import Foundation

/// One documented configuration key: where it lives, what it accepts and how it lands in `PCAAConfig`.
struct ConfigField {
    let section: String
    let key: String
    let kind: ConfigKind
    let secret: Bool
    let apply: (inout PCAAConfig, ConfigValue) throws(ConfigReason) -> Void

    var path: String { "\(section).\(key)" }
    /// `PCAA_SECTION_KEY`, e.g. `PCAA_SECURITY_PLATFORM_SECRET`.
    var environmentName: String { "PCAA_\(section)_\(key)".uppercased() }
}

/// The set of keys `pcaa.toml` may contain. Unknown keys are refused so typos do not pass silently.
enum ConfigSchema {
    /// Short environment aliases for the secrets operators set most.
    static let environmentAliases: [String: String] = [
        "PCAA_PLATFORM_SECRET": "security.platform_secret",
        "PCAA_OPS_TOKEN": "security.ops_token",
        "PCAA_DATA_DIR": "storage.data_dir",
        "PCAA_LISTEN": "server.listen",
    ]

    /// The standard AWS variables, used for an `[analysis]` key only when neither the file nor its `PCAA_*`
    /// variable gave it a value.
    static var environmentFallbacks: [(variable: String, path: String, isUnset: (PCAAConfig) -> Bool)] {
        [
            ("AWS_ACCESS_KEY_ID", "analysis.aws_access_key_id", { $0.analysis.awsAccessKeyID.isEmpty }),
            ("AWS_SECRET_ACCESS_KEY", "analysis.aws_secret_access_key", { $0.analysis.awsSecretAccessKey.isEmpty }),
            ("AWS_SESSION_TOKEN", "analysis.aws_session_token", { $0.analysis.awsSessionToken.isEmpty }),
            ("AWS_REGION", "analysis.bedrock_region", { $0.analysis.bedrockRegion.isEmpty }),
        ]
    }

    static let sttProviders = ["local", "sarvam", "deepgram", "whisper", "drill", "none"]
    static let analyzers = ["metrics", "rules", "bedrock", "openai"]
    /// `outbox` writes every message to files; `live` sends e-mail over SMTP and WhatsApp through the Cloud API on the
    /// channels each BID's notification_config names; `email` / `whatsapp` send everything on that one channel;
    /// `none` sends nothing.
    static let notifiers = ["outbox", "live", "email", "whatsapp", "none"]

    static var fields: [ConfigField] {
        [
            // [server]
            field("server", "listen", .string) { c, v throws(ConfigReason) in
                let (host, port) = try ListenAddress.parse(try v.asString())
                c.server.host = host
                c.server.port = port
            },
            field("server", "max_body_bytes", .int) { c, v throws(ConfigReason) in
                c.server.maxBodyBytes = try v.asInt(1024...(64 << 20))
            },
            // [storage]
            field("storage", "data_dir", .string) { c, v throws(ConfigReason) in
                let dir = try v.asString()
                guard !dir.isEmpty else { throw ConfigReason("must not be empty") }
                c.storage.dataDir = dir
            },
            field("storage", "synchronous", .string) { c, v throws(ConfigReason) in
                c.storage.synchronous = try v.asChoice(["full", "normal"])
            },
            field("storage", "busy_timeout_ms", .int) { c, v throws(ConfigReason) in
                c.storage.busyTimeoutMs = try v.asInt(0...600_000)
            },
            // [security]
            field("security", "platform_secret", .string, secret: true) { c, v throws(ConfigReason) in
                let secret = try v.asString()
                guard secret.isEmpty || secret.utf8.count >= 16 else {
                    throw ConfigReason("must be at least 16 characters (or empty to generate one in the data directory)")
                }
                c.security.platformSecret = secret
            },
            field("security", "ops_token", .string, secret: true) { c, v throws(ConfigReason) in
                let token = try v.asString()
                guard token.isEmpty || token.utf8.count >= 16 else { throw ConfigReason("must be at least 16 characters or empty") }
                c.security.opsToken = token
            },
            field("security", "secret_rotation_grace_hours", .int) { c, v throws(ConfigReason) in
                c.security.secretRotationGraceHours = try v.asInt(0...24 * 30)
            },
            // [workers]
            field("workers", "transcribe", .int) { c, v throws(ConfigReason) in c.workers.transcribe = try v.asInt(0...64) },
            field("workers", "analyze", .int) { c, v throws(ConfigReason) in c.workers.analyze = try v.asInt(0...64) },
            field("workers", "notify", .int) { c, v throws(ConfigReason) in c.workers.notify = try v.asInt(0...64) },
            field("workers", "poll_interval_ms", .int) { c, v throws(ConfigReason) in
                c.workers.pollIntervalMs = try v.asInt(10...60_000)
            },
            field("workers", "shutdown_grace_s", .int) { c, v throws(ConfigReason) in
                c.workers.shutdownGraceSeconds = try v.asInt(0...3600)
            },
            // [queue]
            field("queue", "lease_s", .int) { c, v throws(ConfigReason) in c.queue.leaseSeconds = try v.asInt(1...86_400) },
            field("queue", "max_attempts", .int) { c, v throws(ConfigReason) in c.queue.maxAttempts = try v.asInt(1...100) },
            field("queue", "backoff_base_s", .double) { c, v throws(ConfigReason) in
                c.queue.backoffBaseSeconds = try v.asDouble(0...86_400)
            },
            field("queue", "backoff_max_s", .double) { c, v throws(ConfigReason) in
                c.queue.backoffMaxSeconds = try v.asDouble(0...7 * 86_400)
            },
            field("queue", "backoff_jitter", .double) { c, v throws(ConfigReason) in
                c.queue.backoffJitter = try v.asDouble(0...1)
            },
            field("queue", "rescuer_interval_s", .int) { c, v throws(ConfigReason) in
                c.queue.rescuerIntervalSeconds = try v.asInt(1...3600)
            },
            // [download]
            field("download", "max_bytes", .int) { c, v throws(ConfigReason) in
                c.download.maxBytes = Int64(try v.asInt(1024...(4 << 30)))
            },
            field("download", "timeout_s", .int) { c, v throws(ConfigReason) in c.download.timeoutSeconds = try v.asInt(1...7200) },
            field("download", "connect_timeout_s", .int) { c, v throws(ConfigReason) in
                c.download.connectTimeoutSeconds = try v.asInt(1...300)
            },
            // [defaults]
            field("defaults", "stt_provider", .string) { c, v throws(ConfigReason) in
                c.defaults.sttProvider = try v.asChoice(sttProviders)
            },
            field("defaults", "analyzer", .string) { c, v throws(ConfigReason) in c.defaults.analyzer = try v.asChoice(analyzers) },
            field("defaults", "notifier", .string) { c, v throws(ConfigReason) in c.defaults.notifier = try v.asChoice(notifiers) },
            field("defaults", "language", .string) { c, v throws(ConfigReason) in
                let language = try v.asString()
                guard language.range(of: #"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$|^unknown$"#, options: .regularExpression) != nil else {
                    throw ConfigReason("\"\(language)\" is not a language tag like en-IN or hi-IN")
                }
                c.defaults.language = language
            },
            field("defaults", "min_call_duration_s", .int) { c, v throws(ConfigReason) in
                c.defaults.minCallDurationSeconds = try v.asInt(0...86_400)
            },
            field("defaults", "quality_template", .string) { c, v throws(ConfigReason) in
                c.defaults.qualityTemplate = try v.asChoice(QualityTemplates.names)
            },
            field("defaults", "channel_map", .string) { c, v throws(ConfigReason) in
                c.defaults.channelMap = try v.asChoice(ChannelMap.allCases.map(\.rawValue))
            },
            field("defaults", "redact_pii", .string) { c, v throws(ConfigReason) in c.defaults.redactPII = try v.asChoice(["all", "llm", "none"]) },
            field("defaults", "first_speaker", .string) { c, v throws(ConfigReason) in
                c.defaults.firstSpeaker = try v.asChoice(FirstSpeakerRule.allCases.map(\.rawValue))
            },
            // [stt]
            field("stt", "local_python", .string) { c, v throws(ConfigReason) in c.stt.localPython = try v.asString() },
            field("stt", "local_script", .string) { c, v throws(ConfigReason) in c.stt.localScript = try v.asString() },
            field("stt", "local_model", .string) { c, v throws(ConfigReason) in
                let model = try v.asString()
                guard !model.isEmpty else { throw ConfigReason("must name a model (default, base, small) or a model directory") }
                c.stt.localModel = model
            },
            field("stt", "local_threads", .int) { c, v throws(ConfigReason) in c.stt.localThreads = try v.asInt(1...64) },
            field("stt", "local_start_timeout_s", .int) { c, v throws(ConfigReason) in c.stt.localStartTimeoutSeconds = try v.asInt(5...3600) },
            field("stt", "whisper_base_url", .string) { c, v throws(ConfigReason) in
                let url = try v.asString()
                guard url.isEmpty || url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw ConfigReason("must be an http(s) URL like http://10.0.0.5:8000")
                }
                c.stt.whisperBaseURL = url
            },
            field("stt", "sarvam_base_url", .string) { c, v throws(ConfigReason) in c.stt.sarvamBaseURL = try httpURL(v, required: true) },
            field("stt", "sarvam_api_key", .string, secret: true) { c, v throws(ConfigReason) in c.stt.sarvamAPIKey = try v.asString() },
            field("stt", "sarvam_model", .string) { c, v throws(ConfigReason) in c.stt.sarvamModel = try nonEmpty(v) },
            field("stt", "sarvam_mode", .string) { c, v throws(ConfigReason) in
                c.stt.sarvamMode = try v.asChoice(["transcribe", "translate", "verbatim", "translit", "codemix"])
            },
            field("stt", "sarvam_diarize", .bool) { c, v throws(ConfigReason) in c.stt.sarvamDiarize = try v.asBool() },
            field("stt", "sarvam_poll_interval_s", .double) { c, v throws(ConfigReason) in c.stt.sarvamPollIntervalSeconds = try v.asDouble(0.01...300) },
            field("stt", "deepgram_base_url", .string) { c, v throws(ConfigReason) in c.stt.deepgramBaseURL = try httpURL(v, required: true) },
            field("stt", "deepgram_api_key", .string, secret: true) { c, v throws(ConfigReason) in c.stt.deepgramAPIKey = try v.asString() },
            field("stt", "deepgram_model", .string) { c, v throws(ConfigReason) in c.stt.deepgramModel = try nonEmpty(v) },
            field("stt", "whisper_api_key", .string, secret: true) { c, v throws(ConfigReason) in c.stt.whisperAPIKey = try v.asString() },
            field("stt", "whisper_model", .string) { c, v throws(ConfigReason) in c.stt.whisperModel = try v.asString() },
            field("stt", "timeout_s", .int) { c, v throws(ConfigReason) in c.stt.timeoutSeconds = try v.asInt(5...7200) },
            // [analysis]
            field("analysis", "bedrock_region", .string) { c, v throws(ConfigReason) in c.analysis.bedrockRegion = try awsRegion(v) },
            field("analysis", "bedrock_model", .string) { c, v throws(ConfigReason) in c.analysis.bedrockModel = try nonEmpty(v) },
            field("analysis", "bedrock_endpoint", .string) { c, v throws(ConfigReason) in c.analysis.bedrockEndpoint = try httpURL(v, required: false) },
            field("analysis", "aws_access_key_id", .string) { c, v throws(ConfigReason) in c.analysis.awsAccessKeyID = try v.asString() },
            field("analysis", "aws_secret_access_key", .string, secret: true) { c, v throws(ConfigReason) in
                c.analysis.awsSecretAccessKey = try v.asString()
            },
            field("analysis", "aws_session_token", .string, secret: true) { c, v throws(ConfigReason) in c.analysis.awsSessionToken = try v.asString() },
            field("analysis", "openai_base_url", .string) { c, v throws(ConfigReason) in c.analysis.openaiBaseURL = try httpURL(v, required: false) },
            field("analysis", "openai_api_key", .string, secret: true) { c, v throws(ConfigReason) in c.analysis.openaiAPIKey = try v.asString() },
            field("analysis", "openai_model", .string) { c, v throws(ConfigReason) in c.analysis.openaiModel = try nonEmpty(v) },
            field("analysis", "timeout_s", .int) { c, v throws(ConfigReason) in c.analysis.timeoutSeconds = try v.asInt(5...3600) },
            field("analysis", "max_tokens", .int) { c, v throws(ConfigReason) in c.analysis.maxTokens = try v.asInt(256...100_000) },
            field("analysis", "temperature", .double) { c, v throws(ConfigReason) in c.analysis.temperature = try v.asDouble(0...2) },
            // [email]
            field("email", "smtp_url", .string) { c, v throws(ConfigReason) in c.email.smtpURL = try smtpURL(v) },
            field("email", "username", .string) { c, v throws(ConfigReason) in c.email.username = try singleLine(v) },
            field("email", "password", .string, secret: true) { c, v throws(ConfigReason) in c.email.password = try singleLine(v) },
            field("email", "from_address", .string) { c, v throws(ConfigReason) in
                let address = try v.asString()
                guard address.isEmpty || EmailAddress.isValid(address) else {
                    throw ConfigReason("\"\(address)\" is not an e-mail address like reports@example.com")
                }
                c.email.fromAddress = address
            },
            field("email", "from_name", .string) { c, v throws(ConfigReason) in c.email.fromName = try singleLine(v) },
            field("email", "starttls", .bool) { c, v throws(ConfigReason) in c.email.startTLS = try v.asBool() },
            field("email", "ca_file", .string) { c, v throws(ConfigReason) in c.email.caFile = try v.asString() },
            field("email", "timeout_s", .int) { c, v throws(ConfigReason) in c.email.timeoutSeconds = try v.asInt(1...600) },
            // [whatsapp]
            field("whatsapp", "base_url", .string) { c, v throws(ConfigReason) in c.whatsapp.baseURL = try httpURL(v, required: true) },
            field("whatsapp", "api_version", .string) { c, v throws(ConfigReason) in
                let version = try v.asString()
                guard version.range(of: #"^v[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil else {
                    throw ConfigReason("\"\(version)\" is not a Graph API version like v21.0")
                }
                c.whatsapp.apiVersion = version
            },
            field("whatsapp", "phone_number_id", .string) { c, v throws(ConfigReason) in
                let id = try v.asString()
                guard id.allSatisfy(isASCIIDigit) else { throw ConfigReason("must be the numeric phone number ID from the WhatsApp Manager") }
                c.whatsapp.phoneNumberID = id
            },
            field("whatsapp", "access_token", .string, secret: true) { c, v throws(ConfigReason) in c.whatsapp.accessToken = try singleLine(v) },
            field("whatsapp", "template_name", .string) { c, v throws(ConfigReason) in
                let name = try v.asString()
                guard name.range(of: #"^[a-z0-9_]*$"#, options: .regularExpression) != nil else {
                    throw ConfigReason("template names are lowercase letters, digits and underscores")
                }
                c.whatsapp.templateName = name
            },
            field("whatsapp", "template_language", .string) { c, v throws(ConfigReason) in
                let language = try v.asString()
                guard language.range(of: #"^[a-z]{2,3}(_[A-Z]{2})?$"#, options: .regularExpression) != nil else {
                    throw ConfigReason("\"\(language)\" is not a template language code like en or en_US")
                }
                c.whatsapp.templateLanguage = language
            },
            field("whatsapp", "default_country_code", .string) { c, v throws(ConfigReason) in
                let code = try v.asString()
                guard (1...3).contains(code.count), code.allSatisfy(isASCIIDigit), code.first != "0" else {
                    throw ConfigReason("must be a calling code of 1-3 digits without + (91 for India)")
                }
                c.whatsapp.defaultCountryCode = code
            },
            field("whatsapp", "timeout_s", .int) { c, v throws(ConfigReason) in c.whatsapp.timeoutSeconds = try v.asInt(1...600) },
            // [faults]
            field("faults", "stt_error_rate", .double) { c, v throws(ConfigReason) in c.faults.sttErrorRate = try v.asDouble(0...1) },
            field("faults", "stt_throttle_rate", .double) { c, v throws(ConfigReason) in c.faults.sttThrottleRate = try v.asDouble(0...1) },
            field("faults", "stt_timeout_rate", .double) { c, v throws(ConfigReason) in c.faults.sttTimeoutRate = try v.asDouble(0...1) },
            field("faults", "stt_slow_rate", .double) { c, v throws(ConfigReason) in c.faults.sttSlowRate = try v.asDouble(0...1) },
            field("faults", "slow_ms", .int) { c, v throws(ConfigReason) in c.faults.slowMs = try v.asInt(0...600_000) },
            field("faults", "timeout_ms", .int) { c, v throws(ConfigReason) in c.faults.timeoutMs = try v.asInt(0...600_000) },
            field("faults", "retry_after_s", .double) { c, v throws(ConfigReason) in c.faults.retryAfterSeconds = try v.asDouble(0...3600) },
            // [alerts]
            field("alerts", "cooldown_minutes", .int) { c, v throws(ConfigReason) in c.alerts.cooldownMinutes = try v.asInt(0...10_080) },
            field("alerts", "ops_emails", .string) { c, v throws(ConfigReason) in
                let text = try v.asString()
                if let bad = PCAAConfig.Alerts.list(text).first(where: { !EmailAddress.isValid($0) }) {
                    throw ConfigReason("\"\(bad)\" is not an e-mail address")
                }
                c.alerts.opsEmails = text
            },
            field("alerts", "ops_whatsapp", .string) { c, v throws(ConfigReason) in
                let text = try v.asString()
                if let bad = PCAAConfig.Alerts.list(text).first(where: { number in number.filter(\.isNumber).count < 8 || !number.allSatisfy { $0.isNumber || $0 == "+" } }) {
                    throw ConfigReason("\"\(bad)\" is not a phone number")
                }
                c.alerts.opsWhatsApp = text
            },
            field("alerts", "delivery", .string) { c, v throws(ConfigReason) in c.alerts.delivery = try v.asChoice(["outbox", "live", "none"]) },
            field("alerts", "queue_depth_limit", .int) { c, v throws(ConfigReason) in c.alerts.queueDepthLimit = try v.asInt(1...10_000_000) },
            field("alerts", "queue_depth_minutes", .int) { c, v throws(ConfigReason) in c.alerts.queueDepthMinutes = try v.asInt(0...1440) },
            field("alerts", "stuck_call_minutes", .int) { c, v throws(ConfigReason) in c.alerts.stuckCallMinutes = try v.asInt(1...10_080) },
            field("alerts", "analysis_failure_streak", .int) { c, v throws(ConfigReason) in c.alerts.analysisFailureStreak = try v.asInt(1...1000) },
            field("alerts", "transcription_failure_percent", .double) { c, v throws(ConfigReason) in
                c.alerts.transcriptionFailurePercent = try v.asDouble(0...100)
            },
            field("alerts", "disk_usage_percent", .double) { c, v throws(ConfigReason) in c.alerts.diskUsagePercent = try v.asDouble(1...100) },
            field("alerts", "check_interval_s", .int) { c, v throws(ConfigReason) in c.alerts.checkIntervalSeconds = try v.asInt(1...3600) },
            // [notify]
            field("notify", "templates_dir", .string) { c, v throws(ConfigReason) in c.notify.templatesDir = try nonEmpty(v) },
            field("notify", "digest_check_interval_s", .int) { c, v throws(ConfigReason) in c.notify.digestCheckIntervalSeconds = try v.asInt(1...3600) },
            field("notify", "digest_catch_up_hours", .int) { c, v throws(ConfigReason) in c.notify.digestCatchUpHours = try v.asInt(0...168) },
            // [logging]
            field("logging", "level", .string) { c, v throws(ConfigReason) in
                c.logging.level = try v.asChoice(["trace", "debug", "info", "notice", "warning", "error", "critical"])
            },
        ]
    }

    private static func field(
        _ section: String, _ key: String, _ kind: ConfigKind, secret: Bool = false,
        _ apply: @escaping (inout PCAAConfig, ConfigValue) throws(ConfigReason) -> Void
    ) -> ConfigField {
        ConfigField(section: section, key: key, kind: kind, secret: secret, apply: apply)
    }
}

/// Parses `host:port` and `[v6]:port` listen addresses.
public enum ListenAddress {
    static func parse(_ text: String) throws(ConfigReason) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else { throw ConfigReason("\"\(text)\" is not HOST:PORT") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ConfigReason("\"\(text)\" is not HOST:PORT with a port 0-65535")
        }
        return (host, port)
    }

    /// Parses a `--listen` override, reporting the problem as a `ConfigError`.
    public static func parseOverride(_ text: String) throws(ConfigError) -> (host: String, port: Int) {
        do { return try parse(text) } catch { throw ConfigError(key: "--listen", reason: error.text) }
    }
}
