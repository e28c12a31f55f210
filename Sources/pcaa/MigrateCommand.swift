import ArgumentParser
import PCAACore
import PCAAStore

/// `pcaa migrate`: creates or upgrades the SQLite schema, then reports the applied migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or upgrade the database schema.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        let database = try AppDatabase.open(config: config)
        print("database: \(config.databasePath)")
        print("migrations: \(try database.appliedMigrations().joined(separator: ", "))")
        print("integrity: \(try database.integrityCheck().joined(separator: "; "))")
    }
}
