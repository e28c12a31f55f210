import ArgumentParser
import Foundation
import PCAACore
import PCAASandbox
import PCAAStore

/// `pcaa sandbox`: plays Mcube against a running daemon and exits non-zero if any acknowledged call is lost.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Play Mcube: activate BIDs, serve recordings, post signed call webhooks, wait until every call is terminal."
    )

    @OptionGroup var options: ConfigOptions
    @Option(help: "Base URL of the daemon.") var target = "http://127.0.0.1:8002"
    @Option(help: "BIDs to activate.") var bids = 5
    @Option(help: "Distinct calls to post.") var calls = 100
    @Option(help: "Webhooks per second (0 = unthrottled).") var rate: Double = 50
    @Option(help: "Seconds to wait for every call to reach a terminal state.") var timeout: Double = 300
    @Option(help: "Seed of the call mix.") var seed: UInt64 = 42
    @Option(help: "Parallel senders.") var concurrency = 8
    @Option(help: "Platform secret (default: PCAA_PLATFORM_SECRET, the config, or <data_dir>/platform_secret).")
    var platformSecret: String?
    @Option(help: "Directory of spoken call recordings (*.wav) to serve; default: Tests/Fixtures when present (espeak-ng calls).")
    var recordings: String?
    @Flag(help: "Serve synthetic tones instead of spoken recordings (load tests).") var synthetic = false

    func validate() throws {
        guard bids >= 1, calls >= 0, rate >= 0, timeout > 0, concurrency >= 1 else {
            throw ValidationError("--bids and --concurrency must be at least 1; --calls, --rate must not be negative; --timeout must be positive")
        }
    }

    func run() async throws {
        let config = try options.load()
        let secret = try platformSecret ?? {
            let file = PlatformSecretFile.path(dataDir: config.storage.dataDir)
            if !config.security.platformSecret.isEmpty { return config.security.platformSecret }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("no platform secret: pass --platform-secret, set PCAA_PLATFORM_SECRET, or start the daemon once so \(file) exists")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }()
        let sandbox = SandboxOptions(
            target: target, bids: bids, calls: calls, ratePerSecond: rate, timeoutSeconds: timeout, platformSecret: secret,
            seed: seed, concurrency: concurrency, opsToken: config.security.opsToken
        )
        var sandboxOptions = sandbox
        if !synthetic {
            let directory = recordings ?? "Tests/Fixtures"
            sandboxOptions.spokenRecordings = Self.spokenRecordings(in: directory)
            if sandboxOptions.spokenRecordings.isEmpty {
                if recordings != nil { throw ValidationError("no readable .wav recordings in \(directory)") }
                print("no spoken recordings in \(directory): serving synthetic tones")
            } else {
                print("serving \(sandboxOptions.spokenRecordings.count) spoken recordings from \(directory)")
            }
        }
        let report = try await SandboxRun(options: sandboxOptions, log: { line in print(line) }).run()
        print(report.table())
        if !report.passed { throw ExitCode(1) }
    }

    /// The PCM WAV files of a directory (at most 20, each under 20 MB), sorted by name.
    static func spokenRecordings(in directory: String) -> [[UInt8]] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".wav") }.sorted()
        return names.prefix(20).compactMap { name in
            let path = directory + "/" + name
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size < 20 << 20,
                  let data = FileManager.default.contents(atPath: path), data.starts(with: Array("RIFF".utf8)) else { return nil }
            return [UInt8](data)
        }
    }
}
