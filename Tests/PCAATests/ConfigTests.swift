import Foundation
import PCAACore
import Testing

/// `pcaa.toml` loading: the shipped file, refusals naming key and reason, environment overrides.
@Suite struct ConfigTests {
    static let shippedPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/pcaa.toml").path

    @Test func shippedConfigIsValidAndMatchesTheDocumentedDefaults() throws {
        let config = try ConfigLoader.load(path: Self.shippedPath, environment: [:])
        #expect(config == PCAAConfig(), "config/pcaa.toml documents exactly the built-in defaults")
        #expect(config.listenAddress == "127.0.0.1:8002")
        #expect(config.storage.dataDir == "./var")
    }

    func errors(_ text: String, environment: [String: String] = [:]) -> [ConfigError] {
        do {
            _ = try ConfigLoader.parse(text, environment: environment)
            return []
        } catch let errors as ConfigErrors {
            return errors.errors
        } catch {
            return [ConfigError(key: "?", reason: "\(error)")]
        }
    }

    @Test func everyProblemIsReportedWithItsKey() {
        let found = errors("""
            [server]
            listen = "127.0.0.1"
            max_body_bytes = "big"
            [workers]
            transcribe = -1
            analyse = 2
            [queue]
            backoff_jitter = 3.5
            [defaults]
            stt_provider = "sarvan"
            [colour]
            x = 1
            """)
        let keys = Set(found.map(\.key))
        #expect(keys == ["server.listen", "server.max_body_bytes", "workers.transcribe", "workers.analyse", "queue.backoff_jitter",
                         "defaults.stt_provider", "colour"])
        #expect(found.first { $0.key == "workers.analyse" }?.reason == "unknown key")
        #expect(found.first { $0.key == "defaults.stt_provider" }?.reason.contains("sarvam") == true)
    }

    @Test func syntaxErrorsSayWhere() {
        let found = errors("[server\nlisten = 1")
        #expect(found.count == 1)
        #expect(found.first?.reason.contains("line 1") == true)
    }

    @Test func environmentOverridesTheFileAndAliasesWork() throws {
        let config = try ConfigLoader.parse(
            "[security]\nplatform_secret = \"from-the-file-0123456789\"\n[workers]\nanalyze = 1\n",
            environment: ["PCAA_PLATFORM_SECRET": "from-the-environment-0123", "PCAA_WORKERS_ANALYZE": "4", "PCAA_LISTEN": "0.0.0.0:9000"]
        )
        #expect(config.security.platformSecret == "from-the-environment-0123")
        #expect(config.workers.analyze == 4)
        #expect(config.server.host == "0.0.0.0" && config.server.port == 9000)
        let bad = errors("", environment: ["PCAA_WORKERS_ANALYZE": "many"])
        #expect(bad.map(\.key) == ["PCAA_WORKERS_ANALYZE"])
    }

    @Test func secretsNeverAppearInErrors() {
        let found = errors("[security]\nplatform_secret = \"short\"\n", environment: ["PCAA_OPS_TOKEN": "tiny"])
        #expect(found.count == 2)
        for error in found {
            #expect(!error.description.contains("short") && !error.description.contains("tiny"))
        }
    }

    @Test func ipv6ListenAddressesParse() throws {
        let config = try ConfigLoader.parse("[server]\nlisten = \"[::1]:8002\"\n")
        #expect(config.server.host == "::1" && config.server.port == 8002)
    }

    @Test func warningsFlagAnOpenOpsSurface() throws {
        let config = try ConfigLoader.parse("[server]\nlisten = \"0.0.0.0:8002\"\n")
        #expect(ConfigLoader.warnings(for: config).contains { $0.hasPrefix("security.ops_token") })
    }
}
