import ArgumentParser
import PCAAPipeline

/// `pcaa doctor`: checks the box (data directory, database, secrets, speech helper, audio tools); exits 1 on a failure.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check this machine and configuration.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let checks = Doctor.run(config: try options.load())
        for check in checks {
            print("\(check.level.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(check.name): \(check.detail)")
        }
        if checks.contains(where: { $0.level == .failure }) { throw ExitCode(1) }
    }
}
