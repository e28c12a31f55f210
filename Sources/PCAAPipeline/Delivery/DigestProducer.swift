import Foundation
import Logging
import PCAACore
import PCAADelivery
import PCAAStore

/// Builds a BID's team digests for one local day (one per supervisor group with calls that day) and delivers them
/// to the recipients of the BID's `supervisor_digest` rows, once per (group, day, channel, recipient).
public struct DigestProducer: Sendable {
    /// What became of one group's digest.
    public struct Result: Sendable {
        public let digest: TeamDigest
        public let text: String
        /// `sent`, `pending` (a transient failure: try again later) or `no_recipient`.
        public let status: String
        public let delivered: Int
        public let failures: [StageError]
        /// False when the digest had been dealt with before and nothing was done now.
        public let fresh: Bool
    }

    let database: AppDatabase
    let dispatcher: NotificationDispatcher
    let templates: ReportTemplates
    let logger: Logger

    public init(database: AppDatabase, providers: ProviderRegistry, templates: ReportTemplates, logger: Logger = Logger(label: "digest_scheduler")) {
        self.database = database
        self.dispatcher = NotificationDispatcher(database: database, providers: providers, logger: logger)
        self.templates = templates
        self.logger = logger
    }

    /// The digests of a day without sending anything (API, CLI preview). `group` narrows to one group.
    public func digests(bid: String, period: String, timeZone: TimeZone, group: String? = nil) async throws -> [TeamDigest] {
        try await Self.digests(database: database, bid: bid, period: period, timeZone: timeZone, group: group)
    }

    /// One ``TeamDigest`` per supervisor group with calls on the local day `period` (`YYYY-MM-DD`) in `timeZone`.
    public static func digests(database: AppDatabase, bid: String, period: String, timeZone: TimeZone, group: String? = nil) async throws -> [TeamDigest] {
        guard let (start, end) = LocalDay.bounds(of: period, in: timeZone) else { return [] }
        let threshold = try await database.bidConfig(bid: bid)?.passThreshold ?? 70
        let rows = try await database.digestRows(bid: bid, from: start, before: end, group: group)
        let groups = Dictionary(grouping: rows, by: \.group)
        return try groups.keys.sorted().map { name in
            let calls = try (groups[name] ?? []).map { row in
                DigestCall(agentID: row.agentID, agentName: row.agentName, processingState: row.processingState, analysis: try row.analysis?.decoded())
            }
            return TeamDigest(bid: bid, group: name, period: period, timezone: timeZone.identifier, passThreshold: threshold, calls: calls)
        }
    }

    /// Builds and delivers the day's digests. A group whose digest was already sent is left alone unless `force`.
    public func produce(bid: String, period: String, schedule: NotificationConfig, force: Bool = false) async throws -> [Result] {
        let zone = TimeZone(identifier: schedule.timezone) ?? TimeZone(identifier: "Asia/Kolkata") ?? .gmt
        let notifier = try await database.bidConfig(bid: bid)?.notifier ?? "outbox"
        let mode = DeliveryMode(setting: notifier)
        let configs = try await database.notificationConfigs(bid: bid, kind: .supervisorDigest)
        var results: [Result] = []
        for digest in try await digests(bid: bid, period: period, timeZone: zone) {
            let previous = try await database.digestRunStatus(bid: bid, group: digest.group, period: period)
            let rendered = templates.digest(digest)
            if !force, let previous, previous != "pending" {
                results.append(Result(digest: digest, text: rendered.text, status: previous, delivered: 0, failures: [], fresh: false))
                continue
            }
            let supervisors = configs.contains { $0.recipientType == .supervisor }
                ? try await database.supervisors(bid: bid, group: digest.group) : []
            let recipients = ReportRecipients.resolve(configs: configs, call: nil, profile: nil, supervisors: supervisors, notifier: notifier)
            var delivered = 0
            var failures: [StageError] = []
            for recipient in recipients where mode != .none {
                let message = OutboundMessage(
                    channel: recipient.channel, recipient: recipient.address, recipientName: recipient.name, subject: rendered.subject,
                    text: rendered.text, html: recipient.channel == "email" ? rendered.html : nil,
                    whatsAppTemplate: recipient.channel == "whatsapp" ? WhatsAppTemplate(
                        name: "", language: "",
                        bodyParameters: [digest.group, period, "\(digest.analyzed)", digest.averageScore.map { String(format: "%.1f", $0) } ?? "n/a"]) : nil,
                    idempotencyKey: "\(bid)|supervisor_digest|\(digest.group)|\(period)|\(recipient.channel)|\(recipient.address.lowercased())",
                    bid: bid, callid: nil)
                switch await dispatcher.send(message, kind: "supervisor_digest", mode: mode) {
                case .sent, .alreadySent: delivered += 1
                case .failed(let error): failures.append(error)
                }
            }
            let status = recipients.isEmpty || mode == .none ? "no_recipient"
                : failures.contains { $0.kind == .transient } ? "pending" : "sent"
            try await database.recordDigestRun(bid: bid, group: digest.group, period: period, status: status, calls: digest.calls)
            var metadata: Logger.Metadata = ["bid": "\(bid)", "group": "\(digest.group)", "period": "\(period)", "status": "\(status)",
                                             "calls": .stringConvertible(digest.calls), "delivered": .stringConvertible(delivered)]
            if let failure = failures.first { metadata["error_code"] = "\(failure.code)" }
            if status == "no_recipient" {
                logger.warning("digest_without_recipient", metadata: metadata)
            } else {
                logger.notice("digest_produced", metadata: metadata)
            }
            results.append(Result(digest: digest, text: rendered.text, status: status, delivered: delivered, failures: failures, fresh: true))
        }
        return results
    }
}
