import ArgumentParser
import Foundation
import PCAACore
import PCAAStore

/// `pcaa agent set|list`: the contacts reports and digests go to (`agent_profiles`), until the admin API arrives.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Manage agent and supervisor contacts (agent_profiles).", subcommands: [Set.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or replace an agent's (or supervisor's) profile.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String
        @Option(name: .customLong("id"), help: "The agent id Mcube sends (agent_id).") var agentID: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "E-mail address for reports/digests.") var email: String?
        @Option(help: "WhatsApp number, international form (e.g. 919876543210).") var whatsapp: String?
        @Option(help: "Phone number.") var phone: String?
        @Option(help: "Supervisor group (team) name.") var group: String?
        @Flag(help: "This person supervises --group and receives its digest.") var supervisor = false

        func run() async throws {
            if let problem = SafeIdentifier.callIDProblem(agentID) { throw ValidationError("--id \(problem)") }
            if let email, !EmailAddress.isValid(email) { throw ValidationError("--email \"\(email)\" is not an e-mail address") }
            if supervisor, group == nil { throw ValidationError("--supervisor needs --group") }
            let database = try await options.openForBID(bid)
            try await database.saveAgentProfile(AgentProfile(bid: bid, agentId: agentID, agentName: name, phone: phone, email: email, whatsapp: whatsapp,
                                                             supervisorGroup: group, role: supervisor ? .supervisor : .agent))
            print("\(bid)/\(agentID): saved")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a BID's profiles.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String

        func run() async throws {
            let database = try await options.openForBID(bid)
            let profiles = try await database.agentProfiles(bid: bid)
            for profile in profiles {
                print([profile.agentId, profile.role.rawValue, profile.agentName ?? "-", profile.supervisorGroup ?? "-", profile.email ?? "-",
                       profile.whatsapp ?? profile.phone ?? "-"].joined(separator: "\t"))
            }
        }
    }
}
