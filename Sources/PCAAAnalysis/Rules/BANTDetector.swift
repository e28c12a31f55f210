import Foundation
import PCAACore

/// Lead qualification from phrase families: each BANT element is `identified` when a line of the call (either
/// speaker) contains one of its phrases, with that line as evidence; otherwise `not_discussed`.
struct BANTDetector: Sendable {
    static let need = ["i need", "we need", "looking for", "we want", "i want", "interested in", "requirement", "we are facing",
                       "the problem is", "the issue is", "we require", "use case", "we are using"]
    static let authority = ["i am the owner", "i decide", "decision maker", "i will decide", "my manager", "my boss", "discuss with",
                            "talk to my", "approval", "approve", "director", "founder", "partner", "head of", "i handle", "i am responsible"]
    static let budget = ["budget", "how much", "price", "pricing", "cost", "afford", "per month", "rupees", "lakh", "thousand",
                         "expensive", "cheaper", "discount", "quotation", "quote"]
    static let timeline = ["timeline", "by next week", "this week", "next week", "this month", "next month", "next quarter",
                           "immediately", "urgent", "asap", "as soon as possible", "within", "by monday", "by friday", "tomorrow",
                           "go live", "start from", "deadline"]

    let view: CallView

    func detect() -> BANT {
        BANT(need: find(Self.need), authority: find(Self.authority), budget: find(Self.budget), timeline: find(Self.timeline))
    }

    private func find(_ phrases: [String]) -> BANTFinding {
        guard let hit = CallView.firstMatch(phrases.map(PhraseMatcher.init), in: view.lines) else { return .notDiscussed }
        let who = hit.line.segment.role == .unknown ? "" : " (\(hit.line.segment.role.rawValue))"
        return BANTFinding(status: .identified, detail: "“\(hit.phrase)” at \(CallView.clock(hit.line.segment.start))\(who)",
                           evidence: hit.line.segment.text, evidenceTime: hit.line.segment.start)
    }
}

/// Objection themes the customer raised, from keyword families (the BID's own, or the built-in ones).
struct ObjectionDetector: Sendable {
    /// Built-in families: theme → phrases.
    static let builtIn: [(theme: String, phrases: [String])] = [
        ("Price", ["expensive", "too costly", "costly", "too much", "price is high", "cheaper", "discount", "can't afford",
                   "cannot afford", "out of budget", "budget is low"]),
        ("Competitor", ["competitor", "another company", "other company", "already using", "another provider", "better offer",
                        "other vendor", "someone else"]),
        ("Timing", ["not now", "call me later", "call later", "busy right now", "not the right time", "maybe later", "some other time"]),
        ("Trust and spam", ["spam", "fraud", "scam", "fake", "how did you get my number", "don't call", "do not call"]),
        ("No need", ["not interested", "don't need", "do not need", "no requirement", "no need"]),
        ("Decision elsewhere", ["ask my manager", "discuss with", "my boss", "need approval", "talk to my"]),
        ("Complexity", ["complicated", "difficult", "too many steps", "paperwork", "documents", "registration", "confusing"]),
    ]

    let view: CallView
    let families: [(theme: String, phrases: [String])]

    /// Families from `bid_config.objection_themes` JSON (`{"theme": ["phrase", …]}`), else the built-in ones.
    init(view: CallView, json: String?) {
        self.view = view
        if let json, let data = json.data(using: .utf8),
           let decoded = try? JSONDecoder().decode([String: [String]].self, from: data), !decoded.isEmpty {
            families = decoded.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        } else {
            families = Self.builtIn
        }
    }

    func detect() -> [String] {
        let customer = view.lines(by: .customer)
        return families.filter { family in CallView.firstMatch(family.phrases.map(PhraseMatcher.init), in: customer) != nil }.map(\.theme)
    }
}

/// The customer's mood from a small lexicon: positive minus negative phrases over the customer's lines.
struct SentimentEstimator: Sendable {
    static let positive = ["thank you", "thanks", "great", "good", "perfect", "sure", "interested", "happy", "excellent", "helpful",
                           "sounds good", "okay great", "wonderful", "appreciate"]
    static let negative = ["angry", "bad", "worst", "terrible", "frustrated", "not happy", "disappointed", "complaint", "waste",
                           "useless", "fraud", "cancel", "irritated", "pathetic", "never again", "rude"]

    let view: CallView

    func estimate() -> Sentiment? {
        let customer = view.lines(by: .customer)
        guard !customer.isEmpty, !view.rolesUnknown else { return nil }
        let positive = Self.positive.map(PhraseMatcher.init)
        let negative = Self.negative.map(PhraseMatcher.init)
        var score = 0
        for line in customer {
            score += positive.filter { $0.matches(line.folded) }.count
            score -= 2 * negative.filter { $0.matches(line.folded) }.count
        }
        return score >= 2 ? .positive : score <= -2 ? .negative : .neutral
    }
}
