import ArgumentParser
import Foundation
import PCAACore
import PCAAStore

/// `pcaa bid activate|deactivate|list|rotate-secret`: the admin override of seed §6.5, on the local database.
struct BidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bid", abstract: "Manage BID subscriptions.", subcommands: [Activate.self, Deactivate.self, List.self, RotateSecret.self]
    )

    static func open(_ options: ConfigOptions) throws -> (PCAAConfig, AppDatabase) {
        let config = try options.load()
        return (config, try AppDatabase.open(config: config))
    }

    static func validated(_ bid: String) throws -> String {
        if let problem = SafeIdentifier.bidProblem(bid) { throw ValidationError("BID \(problem)") }
        return bid
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Activate (or re-activate) a BID and print its webhook secret.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The BID.") var bid: String
        @Option(help: "Plan name.") var plan = "standard"
        @Option(help: "Business name.") var name: String?
        @Option(help: "Quality template: presales, support or collections.") var template: String?

        func run() async throws {
            let (config, database) = try BidCommand.open(options)
            if let template, !QualityTemplates.names.contains(template) {
                throw ValidationError("template must be one of \(QualityTemplates.names.joined(separator: ", "))")
            }
            let event = BIDActivatedEvent(bid: try BidCommand.validated(bid), businessName: name, plan: plan, activatedAt: nil,
                                          paidUntil: nil, occurredAt: Date(), template: template)
            switch try await database.activate(event, defaults: config.defaults, now: Date(), source: "cli") {
            case .applied(let subscription, let created):
                print("\(subscription.bid): \(created ? "activated" : "re-activated")")
                print("webhook_secret: \(subscription.webhookSecret)")
            case .stale(let subscription):
                print("\(subscription.bid): unchanged (a newer event is already applied)")
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend (or cancel) a BID; queued calls still finish.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The BID.") var bid: String
        @Option(help: "Reason recorded in the log.") var reason = "manual"
        @Flag(help: "Cancel instead of suspend.") var cancel = false

        func run() async throws {
            let (_, database) = try BidCommand.open(options)
            let event = BIDDeactivatedEvent(bid: try BidCommand.validated(bid), reason: reason, status: cancel ? .cancelled : .suspended,
                                            occurredAt: Date())
            switch try await database.deactivate(event, now: Date(), source: "cli") {
            case .applied(let subscription, _): print("\(subscription.bid): \(subscription.status.rawValue)")
            case .stale(let subscription): print("\(subscription.bid): unchanged (a newer event is already applied)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List BIDs and their subscription status.")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let (_, database) = try BidCommand.open(options)
            let rows = try await database.subscriptions()
            print("BID".padding(toLength: 34, withPad: " ", startingAt: 0) + "STATUS     PLAN        PAID UNTIL")
            for row in rows {
                print(row.bid.padding(toLength: 34, withPad: " ", startingAt: 0)
                    + row.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + row.plan.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + (row.paidUntil.map(Timestamp.iso8601) ?? "-"))
            }
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rotate-secret", abstract: "Issue a new webhook secret; the old one works during the grace period.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The BID.") var bid: String

        func run() async throws {
            let (config, database) = try BidCommand.open(options)
            guard let subscription = try await database.rotateSecret(
                bid: try BidCommand.validated(bid), graceHours: config.security.secretRotationGraceHours, now: Date()
            ) else {
                throw ValidationError("unknown BID \(bid)")
            }
            print("\(subscription.bid): new webhook_secret: \(subscription.webhookSecret)")
            print("previous secret valid until \(subscription.previousSecretExpiresAt.map(Timestamp.iso8601) ?? "-")")
        }
    }
}
