import Foundation
import PCAACore

/// `analyzer = "rules"`: the offline default. Scores each rubric item from its cue phrases (``RubricScorer``),
/// detects BANT (``BANTDetector``) and objection themes (``ObjectionDetector``), estimates the customer's
/// sentiment, writes coaching from the weakest items (``CoachingWriter``) and a summary. Deterministic: the same
/// transcript and rubric always give the same result, and every score has its reason and, where there is one,
/// the line it heard.
public struct RulesAnalyzer: CallAnalyzer {
    public let name = "rules"
    public static let version = "rules-v1"

    public init() {}

    public func analyze(transcript: TranscriptResult, rubric: Rubric, call: CallContext) async throws -> AnalysisResult {
        let view = CallView(transcript)
        let metrics = TranscriptMetrics.compute(segments: transcript.segments, duration: view.duration)
        guard !view.lines.isEmpty else {
            // Nothing was said (a silent or failed recording): that says nothing about the agent, so no score.
            return AnalysisResult(
                analyzer: name, model: Self.version, summary: "No speech was found in the recording, so the call was not scored.",
                metrics: metrics.asDictionary)
        }
        let scorer = RubricScorer(view: view)
        let scores = rubric.items.map(scorer.score)
        let weights = Double(rubric.totalWeight)
        let total = weights > 0 ? scores.reduce(0) { $0 + $1.score } / weights * 100 : 0
        let bant = BANTDetector(view: view).detect()
        let objections = ObjectionDetector(view: view, json: call.objectionThemes).detect()
        let sentiment = SentimentEstimator(view: view).estimate()
        let coaching = CoachingWriter(rubric: rubric, scores: scores, bant: bant, metrics: metrics).write()
        let failed = scores.contains { $0.failedCall == true }
        let passed = !failed && total >= rubric.passThreshold
        return AnalysisResult(
            analyzer: name, model: Self.version, totalScore: total, passed: passed, parameters: scores, bant: bant,
            coaching: coaching,
            summary: summary(call: call, view: view, scores: scores, total: total, passed: passed, bant: bant, objections: objections,
                             sentiment: sentiment),
            objections: objections, sentiment: sentiment, metrics: metrics.asDictionary)
    }

    private func summary(call: CallContext, view: CallView, scores: [ParameterScore], total: Double, passed: Bool, bant: BANT,
                         objections: [String], sentiment: Sentiment?) -> String {
        var parts: [String] = []
        let direction = call.direction.map { $0.capitalizedFirst + " call" } ?? "Call"
        let agent = call.agentName.map { " handled by \($0)" } ?? ""
        parts.append("\(direction) of \(CallView.clock(view.duration))\(agent).")
        let failures = scores.filter { $0.failedCall == true }.map(\.name)
        parts.append("Score \(Int(total.rounded()))/100, \(passed ? "pass" : failures.isEmpty ? "below the pass mark" : "failed on \(failures.joined(separator: ", "))").")
        let ranked = scores.filter { $0.maxScore > 0 }.sorted { $0.score / $0.maxScore > $1.score / $1.maxScore }
        if let best = ranked.first, let worst = ranked.last, best.name != worst.name {
            parts.append("Strongest: \(best.name); weakest: \(worst.name).")
        }
        let identified = [("need", bant.need), ("authority", bant.authority), ("budget", bant.budget), ("timeline", bant.timeline)]
            .filter { $0.1.status == .identified }.map(\.0)
        parts.append(identified.isEmpty ? "No BANT element came up." : "BANT: \(identified.joined(separator: ", ")) identified.")
        if !objections.isEmpty { parts.append("Objections: \(objections.joined(separator: ", ").lowercased()).") }
        if let sentiment { parts.append("Customer sentiment: \(sentiment.rawValue).") }
        if view.rolesUnknown { parts.append("Speaker roles are unknown on this recording, so speaker-specific items are approximate.") }
        return parts.joined(separator: " ")
    }
}
