import Foundation
import GRDB
import PCAACore

/// A stored analysis (seed `{bid}_callanalytics`); the full result is JSON, the headline figures are columns.
public struct AnalysisRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "analyses"

    public var callId: Int64
    public var bid: String
    public var callid: String
    public var analyzer: String
    public var model: String?
    public var promptVersion: String?
    public var totalScore: Double?
    public var passed: Bool?
    public var result: String
    public var processingMs: Int
    public var createdAt: Date

    public init(callId: Int64, call: Call, analysis: AnalysisResult, processingMs: Int, createdAt: Date) throws {
        self.callId = callId
        self.bid = call.bid
        self.callid = call.callid
        self.analyzer = analysis.analyzer
        self.model = analysis.model
        self.promptVersion = analysis.promptVersion
        self.totalScore = analysis.totalScore
        self.passed = analysis.passed
        self.result = String(decoding: try JSONEncoder().encode(analysis), as: UTF8.self)
        self.processingMs = processingMs
        self.createdAt = createdAt
    }

    public func decoded() throws -> AnalysisResult {
        try JSONDecoder().decode(AnalysisResult.self, from: Data(result.utf8))
    }
}
