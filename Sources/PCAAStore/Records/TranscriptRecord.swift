import Foundation
import GRDB
import PCAACore

/// A stored transcript (seed `{bid}_sarvamresponse`); segments are JSON.
public struct TranscriptRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "transcripts"

    public var callId: Int64
    public var bid: String
    public var callid: String
    public var provider: String
    public var model: String?
    public var language: String?
    public var text: String
    public var segments: String
    public var audioDurationS: Double
    public var processingMs: Int
    public var createdAt: Date

    public init(callId: Int64, call: Call, result: TranscriptResult, processingMs: Int, createdAt: Date) throws {
        self.callId = callId
        self.bid = call.bid
        self.callid = call.callid
        self.provider = result.provider
        self.model = result.model
        self.language = result.language
        self.text = result.text
        self.segments = String(decoding: try JSONEncoder().encode(result.segments), as: UTF8.self)
        self.audioDurationS = result.audioDurationSeconds
        self.processingMs = processingMs
        self.createdAt = createdAt
    }

    /// The transcript as providers produced it.
    public func result() throws -> TranscriptResult {
        let decoded = try JSONDecoder().decode([TranscriptSegment].self, from: Data(segments.utf8))
        return TranscriptResult(text: text, segments: decoded, language: language, provider: provider, model: model, audioDurationSeconds: audioDurationS)
    }
}
