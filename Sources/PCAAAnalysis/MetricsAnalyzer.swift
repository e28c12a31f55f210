import PCAACore

/// The simplest honest analyzer: transcript metrics only. It does not score the rubric and says so;
/// rubric scores, BANT and coaching stay empty rather than invented.
public struct MetricsAnalyzer: CallAnalyzer {
    public let name = "metrics"

    public init() {}

    public func analyze(transcript: TranscriptResult, rubric: Rubric, call: CallContext) async throws -> AnalysisResult {
        let metrics = TranscriptMetrics.compute(segments: transcript.segments, duration: transcript.audioDurationSeconds)
        var summary = "Transcript metrics only: rubric scoring needs a scoring analyzer (this BID uses \"metrics\")."
        if let agentShare = metrics.agentTalkPercent {
            summary += " Agent spoke \(Int(agentShare.rounded()))% of the time; silence \(Int(metrics.silencePercent.rounded()))%."
        } else {
            summary += " No speech was found in the transcript."
        }
        return AnalysisResult(analyzer: name, summary: summary, metrics: metrics.asDictionary)
    }
}
