import PCAACore

/// Maps a validated answer (see ``LLMAnswerParser``) to an `AnalysisResult`. Totals, pass/fail, score clamping and
/// the check that quotes occur in the transcript are left to `AnalysisFinisher`, as for every analyzer.
public enum LLMAnswerMapper {
    public static func result(_ answer: JSONValue, rubric: Rubric, analyzer: String, model: String) -> AnalysisResult {
        let items = Dictionary(rubric.items.map { ($0.name.lowercased(), $0) }) { first, _ in first }
        let parameters = (answer["parameters"]?.arrayValue ?? []).compactMap { entry -> ParameterScore? in
            guard let name = entry["name"]?.stringValue else { return nil }
            var score = entry["score"]?.numberValue ?? 0
            let violated: Bool? = if case .bool(let flag)? = entry["violated"] { flag } else { nil }
            let item = items[name.lowercased()]
            // A prohibited behaviour that happened earns nothing, whatever score came with it.
            if item?.kind == .prohibited && violated == true { score = 0 }
            // Only an explicit verdict is passed on; otherwise the finisher's rule (auto-fail item scoring 0) applies.
            let failedCall: Bool? = item?.autoFail == true ? violated : nil
            return ParameterScore(name: name, score: score, maxScore: Double(max(0, item?.weight ?? 0)),
                                  reason: entry["reason"]?.stringValue ?? "", evidence: entry["evidence"]?.stringValue,
                                  failedCall: failedCall)
        }
        return AnalysisResult(
            analyzer: analyzer, model: model, promptVersion: LLMPrompt.version,
            totalScore: rubric.items.isEmpty ? nil : 0, parameters: parameters,
            bant: bant(answer["bant"]),
            coaching: strings(answer["coaching"]), summary: answer["summary"]?.stringValue ?? "",
            objections: strings(answer["objections"]),
            sentiment: answer["sentiment"]?.stringValue.flatMap(Sentiment.init(rawValue:)))
    }

    private static func bant(_ value: JSONValue?) -> BANT? {
        guard let value else { return nil }
        func finding(_ key: String) -> BANTFinding {
            guard let entry = value[key] else { return .notDiscussed }
            let status = BANTFinding.Status(rawValue: entry["status"]?.stringValue ?? "") ?? .notDiscussed
            return BANTFinding(status: status, detail: entry["detail"]?.stringValue, evidence: entry["evidence"]?.stringValue)
        }
        return BANT(need: finding("need"), authority: finding("authority"), budget: finding("budget"), timeline: finding("timeline"))
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
