import Foundation
import GRDB
import PCAACore
import PCAADelivery
import PCAAStore

/// Sends the call's quality report (seed §8.1) to the recipients the BID's `notification_config` names, on each of
/// their channels, through the BID's delivery mode (`bid_config.notifier`). Each (call, channel, recipient) is sent
/// once, even when the job runs again; a transient failure retries the job (what was sent stays sent), a permanent
/// one is logged in `notifications` and fails the call only when nothing could be delivered.
public struct NotifyStage: StageProcessor {
    public let stage = Stage.notify
    let database: AppDatabase
    let dispatcher: NotificationDispatcher
    let templates: ReportTemplates

    public init(database: AppDatabase, providers: ProviderRegistry, templates: ReportTemplates) {
        self.database = database
        self.dispatcher = NotificationDispatcher(database: database, providers: providers)
        self.templates = templates
    }

    public func process(_ job: Job) async throws -> StageCommit {
        let (call, config) = try await StageInputs.call(database, job: job)
        let mode = DeliveryMode(setting: config.notifier)
        guard mode != .none else { return StageCommit(note: "notifier=none") }
        let configs = try await database.notificationConfigs(bid: call.bid, kind: .agentReport)
        guard !configs.isEmpty else { return StageCommit(note: "agent reports are switched off for this BID") }
        let profile = try await call.agentId.asyncMap { try await database.agentProfile(bid: call.bid, agentID: $0) } ?? nil
        let group = profile?.supervisorGroup ?? call.groupName
        let supervisors = configs.contains { $0.recipientType == .supervisor } ? try await group.asyncMap {
            try await database.supervisors(bid: call.bid, group: $0)
        } ?? [] : []
        let recipients = ReportRecipients.resolve(configs: configs, call: call, profile: profile, supervisors: supervisors,
                                                 notifier: config.notifier)
        guard !recipients.isEmpty else {
            return StageCommit(note: "no_recipient: no agent_email/agent_phone in the webhook and no agent_profiles entry")
        }

        let callID = call.id!
        let record = try await database.writer.read { db in try AnalysisRecord.filter(Column("call_id") == callID).fetchOne(db) }
        guard let analysis = try record?.decoded() else { throw StageError.permanent("analysis_missing", "no analysis stored for this call") }
        let zone = TimeZone(identifier: configs.first?.timezone ?? "Asia/Kolkata") ?? TimeZone(identifier: "Asia/Kolkata") ?? .gmt
        let view = AgentReportView(
            call: ReportCall(callid: call.callid, agentName: call.agentName, customerPhone: call.customerPhone,
                             callTime: call.callStarttime ?? call.webhookReceivedAt, durationSeconds: call.durationSeconds),
            analysis: analysis, timeZone: zone)
        let rendered = templates.agentReport(view)

        var sent: [String] = []
        var permanent: [StageError] = []
        var transient: StageError?
        var log: [DeliveryLogEntry] = []
        for recipient in recipients {
            let message = OutboundMessage(
                channel: recipient.channel, recipient: recipient.address, recipientName: recipient.name, subject: view.subject,
                text: recipient.channel == "whatsapp" ? rendered.whatsapp : rendered.text,
                html: recipient.channel == "email" ? rendered.html : nil,
                whatsAppTemplate: recipient.channel == "whatsapp" ? WhatsAppTemplate(name: "", language: "",
                                                                                     bodyParameters: view.templateParameters) : nil,
                idempotencyKey: "\(call.bid)|\(call.callid)|agent_report|\(recipient.channel)|\(recipient.address.lowercased())",
                bid: call.bid, callid: call.callid)
            let delivery = await dispatcher.deliver(message, kind: "agent_report", mode: mode)
            if let entry = delivery.entry { log.append(entry) }
            switch delivery.outcome {
            case .sent(let receipt): sent.append("\(recipient.channel):\(receipt.providerMessageID)")
            case .alreadySent(let id): sent.append("\(recipient.channel):\(id ?? "sent")(earlier)")
            case .failed(let error) where error.kind == .transient: transient = transient ?? error
            case .failed(let error): permanent.append(error)
            }
        }
        // On failure the job does not commit: what was delivered is logged now, so the retry does not send it again.
        if let transient {
            await dispatcher.record(log)
            throw transient
        }
        if sent.isEmpty, let first = permanent.first {
            await dispatcher.record(log)
            throw StageError.permanent(first.code, "no recipient could be reached: " + permanent.map(\.message).joined(separator: "; "))
        }
        let failures = permanent.isEmpty ? "" : " failed=" + permanent.map(\.code).joined(separator: ",")
        // On success the log rows go into the transaction that completes the job.
        let entries = log
        return StageCommit(note: "mode=\(mode.rawValue) sent=\(sent.count)\(failures)") { db in
            try AppDatabase.recordDeliveries(db, entries)
        }
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
