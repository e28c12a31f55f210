import Foundation
import GRDB
import PCAACore

/// One call as Mcube reported it, plus where it is in the pipeline (seed `{bid}_raw_calls`).
public struct Call: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "calls"

    public var id: Int64?
    public var bid: String
    public var callid: String
    public var agentName: String?
    public var agentId: String?
    public var agentEmail: String?
    public var agentPhone: String?
    public var customerPhone: String?
    public var callStarttime: Date?
    public var callEndtime: Date?
    public var durationSeconds: Int
    public var callStatus: String
    public var direction: String?
    public var recordingUrl: String?
    public var groupName: String?
    public var processingState: ProcessingState
    public var skipReason: String?
    public var lastError: String?
    public var audioPath: String?
    public var audioDurationS: Double?
    public var audioSampleRate: Int?
    public var audioChannels: Int?
    public var webhookReceivedAt: Date
    public var stateChangedAt: Date
    /// When the call reached a terminal state.
    public var completedAt: Date?


    /// The provider-facing view of this call.
    public func context(language: String, channelMap: String = "left=agent", firstSpeaker: String = "agent_on_outbound") -> CallContext {
        CallContext(
            bid: bid, callid: callid, direction: direction, language: language, agentName: agentName, agentID: agentId,
            agentEmail: agentEmail, agentPhone: agentPhone, customerPhone: customerPhone, groupName: groupName,
            durationSeconds: durationSeconds, channelMap: channelMap, firstSpeaker: firstSpeaker
        )
    }
}
