import Foundation
import GRDB
import PCAACore
import PCAADelivery
import PCAASpeech
import PCAAStore

/// `pcaa doctor`: what an operator checks before trusting the box: data directory, database, secrets, the local
/// speech helper and the audio tools found on this machine. Each finding says what to do about it.
public enum Doctor {
    /// One finding.
    public struct Check: Sendable, Equatable {
        public enum Level: String, Sendable { case ok, warning, failure }
        public let level: Level
        public let name: String
        public let detail: String
    }

    public static func run(config: PCAAConfig) -> [Check] {
        var checks: [Check] = []
        func add(_ level: Check.Level, _ name: String, _ detail: String) { checks.append(Check(level: level, name: name, detail: detail)) }

        let dataDir = config.storage.dataDir
        let probe = dataDir + "/.doctor-write-test"
        if (try? FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)) != nil,
           FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) {
            try? FileManager.default.removeItem(atPath: probe)
            add(.ok, "data directory", "\(dataDir) is writable")
        } else {
            add(.failure, "data directory", "\(dataDir) is not writable: webhooks would be refused with 503")
        }

        var bidAnalyzers: Set<String> = []
        do {
            let database = try AppDatabase.open(config: config, migrate: false)
            let pending = try database.hasPendingMigrations()
            let integrity = try database.integrityCheck()
            add(pending ? .warning : .ok, "database schema", pending ? "migrations pending: run `pcaa migrate` (serve also migrates at start)" : "up to date")
            add(integrity == ["ok"] ? .ok : .failure, "database integrity", integrity.prefix(3).joined(separator: "; "))
            if !pending {
                bidAnalyzers = (try? database.writer.read { db in try String.fetchSet(db, sql: "SELECT DISTINCT analyzer FROM bid_config") }) ?? []
            }
        } catch {
            add(.failure, "database", "\(config.databasePath) cannot be opened: \(error)")
        }

        if config.security.platformSecret.isEmpty {
            let generated = FileManager.default.fileExists(atPath: PlatformSecretFile.path(dataDir: dataDir))
            add(.ok, "platform secret", generated ? "generated in \(PlatformSecretFile.path(dataDir: dataDir))" : "generated on first start")
        } else {
            add(.ok, "platform secret", "configured")
        }
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(config.server.host)
        add(!loopback && config.security.opsToken.isEmpty ? .warning : .ok, "ops token",
            config.security.opsToken.isEmpty ? (loopback ? "not set (listening on loopback only)" : "not set while listening on \(config.server.host)") : "configured")

        let helperInstalled = FileManager.default.isExecutableFile(atPath: config.stt.localPython)
            && FileManager.default.fileExists(atPath: config.stt.localScript)
        let usesLocal = config.defaults.sttProvider == "local"
        add(helperInstalled ? .ok : (usesLocal ? .failure : .warning), "local speech helper",
            helperInstalled ? "\(config.stt.localPython) \(config.stt.localScript) (model \(config.stt.localModel))"
                : "not installed: run stt/setup.sh (make run does)\(usesLocal ? "; calls would end failed_stt" : "")")
        do {
            _ = try ReportTemplates(directory: config.notify.templatesDir)
            add(.ok, "message templates", "\(config.notify.templatesDir): \(ReportTemplates.required.count) templates parse")
        } catch {
            add(.failure, "message templates", "\(error); pcaa serve will not start (set notify.templates_dir)")
        }
        if config.defaults.sttProvider == "whisper" && config.stt.whisperBaseURL.isEmpty {
            add(.failure, "whisper server", "stt.whisper_base_url is empty")
        }
        for (engine, key) in [("sarvam", config.stt.sarvamAPIKey), ("deepgram", config.stt.deepgramAPIKey)] {
            let isDefault = config.defaults.sttProvider == engine
            guard isDefault || !key.isEmpty else { continue }
            add(key.isEmpty ? .failure : .ok, "\(engine) key",
                key.isEmpty ? "stt.\(engine)_api_key is empty (or set PCAA_STT_\(engine.uppercased())_API_KEY); calls would end failed_stt"
                    : "configured (\(key.count) characters, not shown)")
        }
        checks += analyzerChecks(config: config, bidAnalyzers: bidAnalyzers)
        let channels = [("email", config.email.missingKey, "email"), ("whatsapp", config.whatsapp.missingKey, "WhatsApp")]
        for (notifier, missing, label) in channels {
            let isDefault = config.defaults.notifier == notifier
            if let missing {
                if config.defaults.notifier == "live" {
                    add(.warning, "\(notifier) channel", "\(missing) is empty: with notifier = \"live\", \(label) notifications fail until it is set")
                    continue
                }
                guard isDefault else { continue }
                add(.failure, "\(notifier) channel", "\(missing) is empty (or set PCAA_\(missing.replacingOccurrences(of: ".", with: "_").uppercased())); "
                    + "\(label) notifications would end failed_notify")
            } else {
                add(.ok, "\(notifier) channel", notifier == "email"
                    ? "\(config.email.smtpURL) as \(config.email.fromAddress)\(config.email.password.isEmpty ? "" : " (password set, not shown)")"
                    : "phone number ID \(config.whatsapp.phoneNumberID) (token set, not shown)")
            }
        }
        if let decoder = AudioDecoder.installed() {
            add(.ok, "audio decoder", "\(decoder.tool.rawValue) at \(decoder.executable): recordings other than PCM WAV are converted"
                + (decoder.tool == .sox ? " (formats of this sox build; MP3 needs ffmpeg or libsox-fmt-mp3)" : ""))
        } else {
            add(.warning, "audio decoder", "neither ffmpeg nor sox found; only PCM WAV recordings are accepted (others fail with unsupported_audio)")
        }
        if config.faults.isActive { add(.warning, "fault injection", "[faults] is on: for tests and drills only") }
        return checks
    }

    /// The language-model analyzers: a failure when the default analyzer (or, with a database, a BID's) needs
    /// `[analysis]` settings that are missing; ok with the model when configured. Secrets are never shown.
    public static func analyzerChecks(config: PCAAConfig, bidAnalyzers: Set<String> = []) -> [Check] {
        let analysis = config.analysis
        var checks: [Check] = []
        for (analyzer, missing, configured) in [
            ("bedrock", analysis.bedrockMissing, "model \(analysis.bedrockModel) in \(analysis.region) (credentials not shown)"),
            ("openai", analysis.openaiMissing, "model \(analysis.openaiModel) at \(analysis.openaiBaseURL)"),
        ] {
            let used = config.defaults.analyzer == analyzer || bidAnalyzers.contains(analyzer)
            if let missing {
                guard used else { continue }
                checks.append(Check(level: .failure, name: "\(analyzer) analyzer", detail: "\(missing); calls would end failed_analysis"))
            } else {
                checks.append(Check(level: .ok, name: "\(analyzer) analyzer", detail: configured))
            }
        }
        return checks
    }

    static func findExecutable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
