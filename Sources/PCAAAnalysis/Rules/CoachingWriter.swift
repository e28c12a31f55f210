import PCAACore

/// Picks 2–3 coaching suggestions specific to the call: failed auto-fail items first, then the items that lost the
/// most points (with what was missing and a phrase to try), then the BANT element most worth asking about, then
/// the agent's share of the talking when it crowded the customer out.
struct CoachingWriter: Sendable {
    let rubric: Rubric
    let scores: [ParameterScore]
    let bant: BANT
    let metrics: TranscriptMetrics

    func write() -> [String] {
        var tips: [String] = []
        let items = Dictionary(rubric.items.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for score in scores where score.failedCall == true {
            tips.append("\(score.name): this failed the call — \(score.reason.lowercasedFirst). \(items[score.name.lowercased()]?.description ?? "")".trimmedTip)
        }
        let weakest = scores.filter { $0.failedCall != true && $0.maxScore > 0 && $0.score < $0.maxScore }
            .sorted { ($0.maxScore - $0.score) > ($1.maxScore - $1.score) }
        for score in weakest.prefix(3) {
            let item = items[score.name.lowercased()]
            var tip = "\(score.name) (\(format(score.score))/\(format(score.maxScore))): \(item?.description ?? score.reason)."
            if score.score == 0, let cue = item?.cuePhrases.first(where: { !$0.isEmpty }) {
                tip += " Try saying something like “\(cue)”\(item?.window == .opening ? " early in the call" : item?.window == .closing ? " before you close" : "")."
            } else {
                tip += " \(score.reason)."
            }
            tips.append(tip.trimmedTip)
        }
        if let gap = bantGap() { tips.append(gap) }
        if let share = metrics.talkPercent(.agent), share > 70, metrics.talkPercent(.customer) != nil {
            tips.append("You spoke \(Int(share.rounded()))% of the time: ask an open question and let the customer talk more.")
        }
        return Array(tips.prefix(3))
    }

    private func bantGap() -> String? {
        if bant.budget.status == .notDiscussed { return "Budget was not discussed: ask “What budget have you set aside for this?” before closing." }
        if bant.timeline.status == .notDiscussed { return "No timeline was set: ask “By when would you like this in place?”" }
        if bant.authority.status == .notDiscussed { return "Find out who decides: ask “Who else is involved in this decision?”" }
        if bant.need.status == .notDiscussed { return "The customer's need never came out: ask “What made you look for this?”" }
        return nil
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
    var trimmedTip: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        while text.contains("..") { text = text.replacingOccurrences(of: "..", with: ".") }
        return text
    }
}
