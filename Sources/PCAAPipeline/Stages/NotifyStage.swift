import Foundation
import GRDB
import PCAACore
import PCAAStore

/// Sends the agent's call report over the BID's channel. Delivery is keyed per (call, channel, recipient) so a
/// re-run job does not send twice.
public struct NotifyStage: StageProcessor {
    public let stage = Stage.notify
    let database: AppDatabase
    let providers: ProviderRegistry

    public init(database: AppDatabase, providers: ProviderRegistry) {
        self.database = database
        self.providers = providers
    }

    public func process(_ job: Job) async throws -> StageCommit {
        let (call, config) = try await StageInputs.call(database, job: job)
        guard let notifier = providers.notifier(named: config.notifier) else {
            return StageCommit(note: "notifier=none")
        }
        guard let recipient = call.agentEmail ?? call.agentPhone else {
            return StageCommit(note: "no_recipient: the webhook carried no agent_email or agent_phone")
        }
        let callID = call.id!
        let analysis = try await database.writer.read { db in try AnalysisRecord.filter(Column("call_id") == callID).fetchOne(db) }
        guard let stored = try analysis?.decoded() else { throw StageError.permanent("analysis_missing", "no analysis stored for this call") }
        let message = OutboundMessage(
            channel: notifier.name, recipient: recipient, subject: AgentReport.subject(call: call, analysis: stored),
            text: AgentReport.text(call: call, analysis: stored),
            idempotencyKey: "\(call.bid)-\(call.callid)-agent_report-\(notifier.name)-\(recipient)", bid: call.bid, callid: call.callid
        )
        let receipt = try await notifier.deliver(message)
        return StageCommit(note: "channel=\(notifier.name) message_id=\(receipt.providerMessageID)")
    }
}
