import Foundation
import GRDB

/// Per-BID pipeline settings (seed `business_pipeline_config`), provisioned from `[defaults]` on activation.
public struct BidConfig: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "bid_config"

    public var bid: String
    public var pipelineEnabled: Bool
    public var sttProvider: String
    public var analyzer: String
    public var notifier: String
    public var language: String
    public var minCallDurationS: Int
    /// Which stereo channel is whom, e.g. `left=agent`.
    public var channelMap: String
    /// How diarized speakers on mono calls become roles, e.g. `agent_on_outbound`.
    public var firstSpeaker: String
    public var qualityTemplate: String
    public var passThreshold: Double
    public var hotRetentionDays: Int
    public var warmRetentionDays: Int
    public var archiveAudio: Bool
    public var createdAt: Date
    public var updatedAt: Date
}
