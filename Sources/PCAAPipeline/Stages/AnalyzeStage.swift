import Foundation
import GRDB
import PCAACore
import PCAAStore

/// Scores the stored transcript against the BID's rubric with the BID's analyzer.
public struct AnalyzeStage: StageProcessor {
    public let stage = Stage.analyze
    let database: AppDatabase
    let providers: ProviderRegistry

    public init(database: AppDatabase, providers: ProviderRegistry) {
        self.database = database
        self.providers = providers
    }

    public func process(_ job: Job) async throws -> StageCommit {
        let (call, config) = try await StageInputs.call(database, job: job)
        let callID = call.id!
        let (transcriptRecord, parameters) = try await database.writer.read { db in
            (try TranscriptRecord.filter(Column("call_id") == callID).fetchOne(db),
             try QualityParameter.filter(Column("bid") == call.bid && Column("enabled") == true).order(Column("position")).fetchAll(db))
        }
        guard let transcriptRecord else {
            throw StageError.permanent("transcript_missing", "no transcript stored for this call")
        }
        let transcript = try transcriptRecord.result()
        let analyzer = providers.analyzer(named: config.analyzer)
        let started = ContinuousClock.now
        var analysis = try await analyzer.analyze(
            transcript: transcript, rubric: parameters.map(\.rubricItem), call: call.context(language: config.language)
        )
        if let score = analysis.totalScore {
            analysis.totalScore = max(0, min(100, score))
            analysis.passed = analysis.passed ?? (score >= config.passThreshold)
        }
        let processingMs = Elapsed.milliseconds(since: started)
        let record = try AnalysisRecord(callId: callID, call: call, analysis: analysis, processingMs: processingMs, createdAt: Date())
        return StageCommit(note: "analyzer=\(analyzer.name) score=\(analysis.totalScore.map { String($0) } ?? "none")") { db in
            try record.save(db)
        }
    }
}
