import ArgumentParser
import PCAACore

/// `pcaa config check`: validates the file exactly as `serve` would and prints problems and warnings.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Configuration tools.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate the configuration file.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            print("\(options.config): ok")
            print("  listen     \(config.listenAddress)")
            print("  data_dir   \(config.storage.dataDir)")
            print("  workers    transcribe=\(config.workers.transcribe) analyze=\(config.workers.analyze) notify=\(config.workers.notify)")
            print("  defaults   stt=\(config.defaults.sttProvider) analyzer=\(config.defaults.analyzer) notifier=\(config.defaults.notifier) "
                + "language=\(config.defaults.language) min_call_duration_s=\(config.defaults.minCallDurationSeconds)")
            for warning in ConfigLoader.warnings(for: config) {
                print("warning: \(warning)")
            }
        }
    }
}
