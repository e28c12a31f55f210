import ArgumentParser
import PCAACore

/// `pcaa`: the post-call analytics appliance.
@main
struct PCAACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pcaa",
        abstract: "Post-call analytics for Mcube call centers: webhooks in, transcripts, scores and coaching out.",
        version: PCAAVersion.current,
        subcommands: [ServeCommand.self, MigrateCommand.self, ConfigCommand.self, BidCommand.self, SandboxCommand.self, BenchCommand.self, DoctorCommand.self, DigestCommand.self, AgentCommand.self, NotifyCommand.self, RubricCommand.self]
    )
}
