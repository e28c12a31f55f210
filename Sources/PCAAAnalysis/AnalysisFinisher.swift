import PCAACore

/// The rules every analyzer's output is held to before it is stored, whichever analyzer produced it:
///
/// - one score per rubric item, in rubric order, matched by name (case-insensitive); an item the analyzer left out
///   scores 0 with the reason "not assessed"; names not in the rubric are dropped;
/// - scores clamped to 0…weight; the total is the sum over the weights, scaled to 0–100;
/// - an `autoFail` item fails the call (`failedCall`) when the analyzer says so, or else when it scores 0;
/// - `passed` = total ≥ the rubric's pass mark and no auto-fail;
/// - every evidence quote (parameters and BANT) must occur in the transcript word for word, else it is dropped;
///   kept quotes get the start time of their segment;
/// - coaching is trimmed to at most three non-empty suggestions; objection themes de-duplicated.
public enum AnalysisFinisher {
    public static func finish(_ raw: AnalysisResult, rubric: Rubric, transcript: TranscriptResult) -> AnalysisResult {
        var result = raw
        let quotes = TranscriptQuotes(transcript.segments)
        if result.totalScore != nil || !result.parameters.isEmpty {
            result.parameters = scored(raw.parameters, rubric: rubric, quotes: quotes)
            let weights = Double(rubric.totalWeight)
            let total = weights > 0 ? result.parameters.reduce(0) { $0 + $1.score } / weights * 100 : 0
            result.totalScore = (max(0, min(100, total)) * 10).rounded() / 10
            result.passed = result.autoFailures.isEmpty && result.totalScore! >= rubric.passThreshold
        }
        if var bant = result.bant {
            bant.need = checked(bant.need, quotes)
            bant.authority = checked(bant.authority, quotes)
            bant.budget = checked(bant.budget, quotes)
            bant.timeline = checked(bant.timeline, quotes)
            result.bant = bant
        }
        result.coaching = Array(raw.coaching.map { $0.trimmed }.filter { !$0.isEmpty }.prefix(3))
        var seen = Set<String>()
        result.objections = raw.objections.map { $0.trimmed }.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
        result.summary = raw.summary.trimmed
        return result
    }

    private static func scored(_ given: [ParameterScore], rubric: Rubric, quotes: TranscriptQuotes) -> [ParameterScore] {
        var byName: [String: ParameterScore] = [:]
        for score in given where byName[score.name.lowercased()] == nil { byName[score.name.lowercased()] = score }
        return rubric.items.map { item in
            let maximum = Double(max(0, item.weight))
            guard var score = byName[item.name.lowercased()] else {
                return ParameterScore(name: item.name, score: 0, maxScore: maximum, reason: "not assessed by the analyzer",
                                      failedCall: item.autoFail ? true : nil)
            }
            score.name = item.name
            score.maxScore = maximum
            score.score = score.score.isFinite ? max(0, min(maximum, score.score)) : 0
            score.reason = score.reason.trimmed
            if let quote = score.evidence, let found = quotes.locate(quote) {
                score.evidence = quote.trimmed
                score.evidenceTime = found.time
            } else {
                score.evidence = nil
                score.evidenceTime = nil
            }
            // An analyzer may say explicitly whether an auto-fail item failed the call (a violated prohibition, or an
            // item it could not judge); otherwise an auto-fail item that scored nothing fails it.
            let failed = item.autoFail && (score.failedCall ?? (maximum > 0 && score.score == 0))
            score.failedCall = failed ? true : nil
            return score
        }
    }

    private static func checked(_ finding: BANTFinding, _ quotes: TranscriptQuotes) -> BANTFinding {
        var finding = finding
        if let quote = finding.evidence, let found = quotes.locate(quote) {
            finding.evidence = quote.trimmed
            finding.evidenceTime = found.time
        } else {
            finding.evidence = nil
            finding.evidenceTime = nil
        }
        return finding
    }
}

extension String {
    /// Without leading/trailing whitespace.
    var trimmed: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
