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
    /// PII redaction: `all` (stored text, quotes and anything sent to an LLM), `llm` (only what leaves the box), `none`.
    public var redactPii: String
    /// JSON object theme → keywords overriding the built-in objection families; nil uses the built-in ones.
    public var objectionThemes: String?
    public var qualityTemplate: String
    public var passThreshold: Double
    public var hotRetentionDays: Int
    public var warmRetentionDays: Int
    public var archiveAudio: Bool
    public var createdAt: Date
    public var updatedAt: Date
}
