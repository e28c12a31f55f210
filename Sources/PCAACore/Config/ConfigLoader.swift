import Foundation
import TOMLKit

/// Reads `pcaa.toml`, applies `PCAA_*` environment overrides and validates every key.
public enum ConfigLoader {
    /// Loads and validates the file at `path`; a missing file is an error, every problem is reported at once.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PCAAConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigErrors(path: path, errors: [ConfigError(key: "(file)", reason: "cannot read \(path): \(error.localizedDescription)")])
        }
        return try parse(text, path: path, environment: environment)
    }

    /// Validates TOML text; `path` only labels the errors.
    public static func parse(_ text: String, path: String = "pcaa.toml", environment: [String: String] = [:]) throws -> PCAAConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let position = "line \(error.source.begin.line), column \(error.source.begin.column)"
            throw ConfigErrors(path: path, errors: [ConfigError(key: "(syntax)", reason: "\(error.description) at \(position)")])
        }

        let fields = ConfigSchema.fields
        let byPath = Dictionary(uniqueKeysWithValues: fields.map { ($0.path, $0) })
        let sections = Set(fields.map(\.section))
        var config = PCAAConfig()
        var errors: [ConfigError] = []

        for (sectionName, sectionValue) in table {
            guard sections.contains(sectionName) else {
                errors.append(ConfigError(key: sectionName, reason: "unknown section (known: \(sections.sorted().joined(separator: ", ")))"))
                continue
            }
            guard let section = sectionValue.table else {
                errors.append(ConfigError(key: sectionName, reason: "must be a [\(sectionName)] table"))
                continue
            }
            for (key, value) in section {
                let path = "\(sectionName).\(key)"
                guard let field = byPath[path] else {
                    errors.append(ConfigError(key: path, reason: "unknown key"))
                    continue
                }
                guard let scalar = scalar(value) else {
                    errors.append(ConfigError(key: path, reason: "expected \(field.kind.expected), found a \(value.type)"))
                    continue
                }
                apply(field, scalar, to: &config, errors: &errors)
            }
        }

        for field in fields {
            let aliases = ConfigSchema.environmentAliases.filter { $0.value == field.path }.map(\.key).sorted()
            for name in [field.environmentName] + aliases {
                guard let text = environment[name] else { continue }
                guard let value = field.kind.parse(environment: text) else {
                    errors.append(ConfigError(key: name, reason: "expected \(field.kind.expected)"))
                    continue
                }
                apply(field, value, to: &config, errors: &errors, label: name)
            }
        }

        for fallback in ConfigSchema.environmentFallbacks {
            guard let text = environment[fallback.variable], !text.isEmpty, fallback.isUnset(config), let field = byPath[fallback.path] else { continue }
            apply(field, .string(text), to: &config, errors: &errors, label: fallback.variable)
        }

        errors.append(contentsOf: crossChecks(config))
        guard errors.isEmpty else { throw ConfigErrors(path: path, errors: errors) }
        return config
    }

    /// Non-fatal advice `pcaa config check` prints (insecure or unfinished settings).
    public static func warnings(for config: PCAAConfig) -> [String] {
        var warnings: [String] = []
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(config.server.host)
        if !loopback && config.security.opsToken.isEmpty {
            warnings.append("security.ops_token: empty while listening on \(config.server.host); ops endpoints are open to the network")
        }
        if config.security.platformSecret.isEmpty {
            warnings.append("security.platform_secret: empty; one is generated in \(config.storage.dataDir)/platform_secret on first start")
        }
        if config.defaults.analyzer == "bedrock", let missing = config.analysis.bedrockMissing {
            warnings.append("defaults.analyzer: \"bedrock\" needs \(missing)")
        } else if config.defaults.analyzer == "openai", let missing = config.analysis.openaiMissing {
            warnings.append("defaults.analyzer: \"openai\" needs \(missing)")
        }
        if config.faults.isActive {
            warnings.append("faults: fault injection is ON (stt error/throttle/timeout/slow rates); for tests and drills only")
        }
        if config.defaults.sttProvider == "drill" {
            warnings.append("defaults.stt_provider: \"drill\" returns labelled placeholder transcripts; for load tests and drills only")
        } else if config.defaults.sttProvider == "sarvam" && config.stt.sarvamAPIKey.isEmpty {
            warnings.append("defaults.stt_provider: \"sarvam\" needs stt.sarvam_api_key (or PCAA_STT_SARVAM_API_KEY)")
        } else if config.defaults.sttProvider == "deepgram" && config.stt.deepgramAPIKey.isEmpty {
            warnings.append("defaults.stt_provider: \"deepgram\" needs stt.deepgram_api_key (or PCAA_STT_DEEPGRAM_API_KEY)")
        } else if config.defaults.sttProvider == "whisper" && config.stt.whisperBaseURL.isEmpty {
            warnings.append("defaults.stt_provider: \"whisper\" needs stt.whisper_base_url")
        } else if config.defaults.sttProvider == "local" && !FileManager.default.fileExists(atPath: config.stt.localPython) {
            warnings.append("stt.local_python: \(config.stt.localPython) not found; run stt/setup.sh (make run does) or calls end failed_stt")
        }
        return warnings
    }

    private static func apply(
        _ field: ConfigField, _ value: ConfigValue, to config: inout PCAAConfig,
        errors: inout [ConfigError], label: String? = nil
    ) {
        do {
            try field.apply(&config, value)
        } catch {
            errors.append(ConfigError(key: label ?? field.path, reason: field.secret ? redacted(error.text, value: value) : error.text))
        }
    }

    /// Secrets never appear in messages, even when they are what is wrong: the offending value is cut out.
    private static func redacted(_ reason: String, value: ConfigValue) -> String {
        guard case .string(let secret) = value, !secret.isEmpty else { return reason }
        return reason.replacingOccurrences(of: secret, with: "[hidden]")
    }

    private static func scalar(_ value: any TOMLValueConvertible) -> ConfigValue? {
        switch value.type {
        case .string: value.string.map(ConfigValue.string)
        case .int: value.int.map(ConfigValue.int)
        case .double: value.double.map(ConfigValue.double)
        case .bool: value.bool.map(ConfigValue.bool)
        default: nil
        }
    }

    private static func crossChecks(_ config: PCAAConfig) -> [ConfigError] {
        var errors: [ConfigError] = []
        if config.faults.sttErrorRate + config.faults.sttThrottleRate + config.faults.sttTimeoutRate + config.faults.sttSlowRate > 1 {
            errors.append(ConfigError(key: "faults", reason: "the stt_*_rate values must add up to at most 1"))
        }
        if config.queue.backoffMaxSeconds < config.queue.backoffBaseSeconds {
            errors.append(ConfigError(key: "queue.backoff_max_s", reason: "must be >= queue.backoff_base_s"))
        }
        return errors
    }
}
