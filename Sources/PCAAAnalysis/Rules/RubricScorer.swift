import PCAACore

/// Scores each rubric item from its cue phrases, speaker- and position-aware, with a one-line reason and the
/// line it heard as evidence.
///
/// Expected items: the share of the weight grows with the number of different cue phrases the right speaker said
/// in the right part of the call (1 → 60 %, 2 → 85 %, 3 or more → 100 %); a cue said only by the wrong speaker or
/// outside the window earns 30 %. Prohibited items keep their weight unless the speaker said one of the phrases,
/// which scores 0 and, for an auto-fail item, fails the call. An item without cue phrases cannot be judged by
/// rules: it scores 0 and says so, without failing the call.
struct RubricScorer: Sendable {
    let view: CallView

    func score(_ item: RubricItem) -> ParameterScore {
        let weight = Double(max(0, item.weight))
        let matchers = item.cuePhrases.map(PhraseMatcher.init).filter { !$0.words.isEmpty }
        let who = item.speaker.map { $0 == .agent ? "the agent" : "the customer" } ?? "anyone"
        guard !matchers.isEmpty else {
            return ParameterScore(name: item.name, score: 0, maxScore: weight,
                                  reason: "No cue phrases are configured for this item, so the rules analyzer cannot judge it", failedCall: false)
        }
        switch item.kind {
        case .prohibited:
            if let hit = CallView.firstMatch(matchers, in: view.lines(by: item.speaker)) {
                return ParameterScore(
                    name: item.name, score: 0, maxScore: weight,
                    reason: "\(who.capitalizedFirst) said “\(hit.phrase)” at \(CallView.clock(hit.line.segment.start))\(unknownNote)",
                    evidence: hit.line.segment.text, evidenceTime: hit.line.segment.start, failedCall: item.autoFail)
            }
            return ParameterScore(name: item.name, score: weight, maxScore: weight, reason: "None of the prohibited phrases were heard from \(who)",
                                  failedCall: false)
        case .expected:
            return expected(item, matchers: matchers, weight: weight, who: who)
        }
    }

    private func expected(_ item: RubricItem, matchers: [PhraseMatcher], weight: Double, who: String) -> ParameterScore {
        let eligible = view.lines(by: item.speaker).filter { view.inWindow($0, item.window) }
        var heard: [(phrase: String, line: CallView.Line)] = []
        for matcher in matchers {
            if let line = eligible.first(where: { matcher.matches($0.folded) }) { heard.append((matcher.phrase, line)) }
        }
        heard.sort { $0.line.segment.start < $1.line.segment.start }
        let place = item.window == .anywhere ? "" : " in the \(item.window.rawValue) of the call"
        if let first = heard.first {
            let share = heard.count >= 3 ? 1.0 : heard.count == 2 ? 0.85 : 0.6
            let more = heard.count > 1 ? " (and \(heard.dropFirst().map { "“\($0.phrase)”" }.joined(separator: ", ")))" : ""
            return ParameterScore(
                name: item.name, score: (weight * share * 10).rounded() / 10, maxScore: weight,
                reason: "\(who.capitalizedFirst) said “\(first.phrase)” at \(CallView.clock(first.line.segment.start))\(more)\(unknownNote)",
                evidence: first.line.segment.text, evidenceTime: first.line.segment.start)
        }
        // Heard, but from the wrong speaker or at the wrong moment: some credit, and the reason says why not more.
        if let stray = CallView.firstMatch(matchers, in: view.lines) {
            let why = stray.line.segment.role != item.speaker && item.speaker != nil && !view.rolesUnknown
                ? "said by the \(stray.line.segment.role.rawValue), not \(who)"
                : "said at \(CallView.clock(stray.line.segment.start)), outside the \(item.window.rawValue) of the call"
            return ParameterScore(
                name: item.name, score: (weight * 0.3 * 10).rounded() / 10, maxScore: weight,
                reason: "“\(stray.phrase)” was \(why)", evidence: stray.line.segment.text, evidenceTime: stray.line.segment.start)
        }
        let examples = matchers.prefix(3).map { "“\($0.phrase)”" }.joined(separator: ", ")
        return ParameterScore(name: item.name, score: 0, maxScore: weight,
                              reason: "Not heard from \(who)\(place) (listened for \(examples)…)")
    }

    private var unknownNote: String { view.rolesUnknown ? " (speaker roles unknown on this recording)" : "" }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
