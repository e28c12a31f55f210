import ArgumentParser
import Foundation
import PCAACore
import PCAAPipeline
import PCAAStore

/// `pcaa notify show|set`: a BID's notification settings (`notification_config`, seed §8.3), until the admin API.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Show or change who gets agent reports and supervisor digests.", subcommands: [Show.self, Set.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a BID's notification settings.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String

        func run() async throws {
            let database = try await options.openForBID(bid)
            for row in try await database.allNotificationConfigs(bid: bid) {
                var line = "#\(row.id ?? 0) \(row.notificationType.rawValue) channel=\(row.channel.rawValue) recipient=\(row.recipientType.rawValue)"
                if let email = row.customEmail { line += " email=\(email)" }
                if row.notificationType == .supervisorDigest { line += " at \(row.sendTime) \(row.sendDays) \(row.timezone)" }
                print(line + (row.enabled ? "" : " (disabled)"))
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the BID's setting of a type and recipient (created when missing).",
            discussion: "Example: pcaa notify set --bid 6004 --type supervisor_digest --channel both --time 09:30 --days mon,tue,wed,thu,fri --tz Asia/Kolkata")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String
        @Option(help: "agent_report or supervisor_digest.") var type: String
        @Option(help: "agent_self, supervisor or custom_email (default: agent_self for reports, supervisor for digests).") var recipient: String?
        @Option(help: "email, whatsapp, both or none.") var channel: String?
        @Option(help: "The address for recipient custom_email.") var email: String?
        @Option(help: "Digest send time, HH:MM local.") var time: String?
        @Option(help: "Digest days, e.g. mon,tue,wed,thu,fri.") var days: String?
        @Option(help: "IANA time zone of the send time and the digest day.") var tz: String?
        @Flag(inversion: .prefixedEnableDisable, help: "Switch the setting on or off.") var enable: Bool?

        func run() async throws {
            guard let kind = NotificationConfig.Kind(rawValue: type) else { throw ValidationError("--type must be agent_report or supervisor_digest") }
            let recipientType = try recipient.map {
                guard let value = NotificationConfig.RecipientType(rawValue: $0) else { throw ValidationError("--recipient must be agent_self, supervisor or custom_email") }
                return value
            } ?? (kind == .agentReport ? .agentSelf : .supervisor)
            if let email, !EmailAddress.isValid(email) { throw ValidationError("--email \"\(email)\" is not an e-mail address") }
            if recipientType == .customEmail, email == nil { throw ValidationError("recipient custom_email needs --email") }
            let database = try await options.openForBID(bid)
            let existing = try await database.allNotificationConfigs(bid: bid).first {
                $0.notificationType == kind && $0.recipientType == recipientType && (recipientType != .customEmail || $0.customEmail == email)
            }
            var row = existing ?? NotificationConfig.defaults(bid: bid, now: Date()).first { $0.notificationType == kind }!
            row.recipientType = recipientType
            if let email { row.customEmail = email }
            if let channel {
                guard let value = NotificationConfig.Channel(rawValue: channel) else { throw ValidationError("--channel must be email, whatsapp, both or none") }
                row.channel = value
            }
            if let time { row.sendTime = time }
            if let days { row.sendDays = days }
            if let tz { row.timezone = tz }
            if let enable { row.enabled = enable }
            guard DigestSchedule(row) != nil else {
                throw ValidationError("the schedule \(row.sendTime) \(row.sendDays) \(row.timezone) is not valid (HH:MM, mon…sun, an IANA zone)")
            }
            try await database.saveNotificationConfig(row)
            print("\(bid): \(kind.rawValue) \(existing == nil ? "added" : "updated")")
        }
    }
}
