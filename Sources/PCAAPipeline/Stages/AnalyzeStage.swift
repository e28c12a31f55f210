import Foundation
import GRDB
import PCAAAnalysis
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
        let stored = try transcriptRecord.result()
        let analyzer = providers.analyzer(named: config.analyzer)
        let scope = RedactionScope(rawValue: config.redactPii) ?? .all
        // Stored text is already redacted under `all`; under `llm` only a transcript leaving the box is.
        let transcript = scope == .llm && analyzer.sendsTranscriptOffBox ? PIIRedactor.redact(stored) : stored
        let rubric = Rubric(items: parameters.map(\.rubricItem), passThreshold: config.passThreshold)
        let started = ContinuousClock.now
        var context = call.context(language: config.language, channelMap: config.channelMap, firstSpeaker: config.firstSpeaker)
        context.objectionThemes = config.objectionThemes
        let raw = try await analyzer.analyze(transcript: transcript, rubric: rubric, call: context)
        var analysis = AnalysisFinisher.finish(raw, rubric: rubric, transcript: transcript)
        // Transcript metrics are computed here for every analyzer, from the same definitions.
        analysis.metrics = TranscriptMetrics.compute(segments: stored.segments, duration: stored.audioDurationSeconds).asDictionary
            .merging(raw.metrics) { ours, _ in ours }
        let processingMs = Elapsed.milliseconds(since: started)
        let record = try AnalysisRecord(callId: callID, call: call, analysis: analysis, processingMs: processingMs, createdAt: Date())
        return StageCommit(note: "analyzer=\(analyzer.name) score=\(analysis.totalScore.map { String($0) } ?? "none")") { db in
            try record.save(db)
        }
    }
}
