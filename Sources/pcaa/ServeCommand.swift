import ArgumentParser
import Logging
import PCAACore
import PCAAHTTP

/// `pcaa serve`: the daemon: HTTP webhooks plus the stage workers, until SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the daemon (webhooks, workers, scheduler).")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Listen address HOST:PORT (overrides server.listen).")
    var listen: String?

    func run() async throws {
        let config = try options.load(listen: listen)
        JSONLogHandler.bootstrap(level: Logger.Level(rawValue: config.logging.level) ?? .info)
        let logger = Logger(label: "pcaa")
        for warning in ConfigLoader.warnings(for: config) {
            logger.warning("config_warning", metadata: ["detail": "\(warning)"])
        }
        let app = try PCAAApplication.build(config: config)
        try await app.run()
        logger.notice("stopped")
    }
}
