import ArgumentParser
import Foundation
import PCAACore
import PCAAStore

/// `--config`, `--data-dir`: shared by every command that reads the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path to the TOML configuration.")
    var config: String = "config/pcaa.toml"

    @Option(name: .long, help: "Data directory (overrides storage.data_dir).")
    var dataDir: String?

    /// Loads the file and applies `PCAA_*` variables, then command-line overrides; exits 2 on invalid config.
    func load(listen: String? = nil) throws -> PCAAConfig {
        do {
            var loaded = try ConfigLoader.load(path: config)
            if let dataDir { loaded.storage.dataDir = dataDir }
            if let listen {
                let address = try ListenAddress.parseOverride(listen)
                loaded.server.host = address.host
                loaded.server.port = address.port
            }
            return loaded
        } catch let errors as ConfigErrors {
            FileHandle.standardError.write(Data((errors.description + "\n").utf8))
            throw ExitCode(2)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("invalid option \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

extension ConfigOptions {
    /// The database of the configuration, for a command about one BID: the BID must be a valid identifier and known
    /// to this box.
    func openForBID(_ bid: String, config: PCAAConfig? = nil) async throws -> AppDatabase {
        if let problem = SafeIdentifier.bidProblem(bid) { throw ValidationError("BID \(problem)") }
        let database = try AppDatabase.open(config: try config ?? load())
        guard try await database.subscription(bid: bid) != nil else { throw ValidationError("BID \(bid) is not known here") }
        return database
    }
}
