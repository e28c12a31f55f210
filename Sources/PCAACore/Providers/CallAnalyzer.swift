/// Where in the call a rubric item's evidence must appear.
public enum RubricWindow: String, Sendable, Codable, Equatable, CaseIterable {
    /// Anywhere in the call.
    case anywhere
    /// In the first 20 % of the call (and at most its first 60 s): greetings, introductions, verification.
    case opening
    /// In the last 25 % of the call (a line ending there counts): summaries, next steps, goodbyes.
    case closing
}

/// Whether a rubric item rewards its cue phrases or penalises them.
public enum RubricItemKind: String, Sendable, Codable, Equatable, CaseIterable {
    /// The behaviour should happen: cue phrases earn the score.
    case expected
    /// The behaviour must not happen (abuse, threats, sharing card numbers): a match scores zero, and fails the
    /// call when the item is `autoFail`.
    case prohibited
}

/// A rubric item as the analyzer sees it (from `quality_parameters`).
public struct RubricItem: Sendable, Codable, Equatable {
    public var name: String
    public var description: String
    /// The item's weight, i.e. its maximum score; the total is normalised to 100 over the enabled items.
    public var weight: Int
    public var cuePhrases: [String]
    /// A fatal item: when it is violated (or, for an expected item, entirely missing) the call fails whatever its score.
    public var autoFail: Bool
    public var kind: RubricItemKind
    /// Whose words count (nil: anyone's). Defaults to the agent.
    public var speaker: SpeakerRole?
    public var window: RubricWindow

    public init(name: String, description: String, weight: Int, cuePhrases: [String], autoFail: Bool,
                kind: RubricItemKind = .expected, speaker: SpeakerRole? = .agent, window: RubricWindow = .anywhere) {
        self.name = name
        self.description = description
        self.weight = weight
        self.cuePhrases = cuePhrases
        self.autoFail = autoFail
        self.kind = kind
        self.speaker = speaker
        self.window = window
    }
}

/// A BID's rubric: its enabled items in order and the pass mark (0–100).
public struct Rubric: Sendable, Codable, Equatable {
    public var items: [RubricItem]
    public var passThreshold: Double

    public init(items: [RubricItem], passThreshold: Double = 70) {
        self.items = items
        self.passThreshold = passThreshold
    }

    /// Sum of the item weights (the raw maximum before normalising to 100).
    public var totalWeight: Int { items.reduce(0) { $0 + max(0, $1.weight) } }
}

/// A score for one rubric item, with the reason and the evidence behind it.
public struct ParameterScore: Sendable, Codable, Equatable {
    public var name: String
    public var score: Double
    public var maxScore: Double
    /// One line saying why.
    public var reason: String
    /// A quote from the transcript, verbatim; nil when there is none (never invented).
    public var evidence: String?
    /// Start time (s) of the segment the quote comes from.
    public var evidenceTime: Double?
    /// Set when this item is an auto-fail item and it failed the call.
    public var failedCall: Bool?

    public init(name: String, score: Double, maxScore: Double, reason: String, evidence: String? = nil, evidenceTime: Double? = nil,
                failedCall: Bool? = nil) {
        self.name = name
        self.score = score
        self.maxScore = maxScore
        self.reason = reason
        self.evidence = evidence
        self.evidenceTime = evidenceTime
        self.failedCall = failedCall
    }
}

/// One BANT element: identified in the call or not discussed, with the quote that shows it.
public struct BANTFinding: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, Equatable {
        case identified
        case notDiscussed = "not_discussed"
    }

    public var status: Status
    /// What was learnt, in a few words (e.g. "budget around 50,000 a month").
    public var detail: String?
    public var evidence: String?
    public var evidenceTime: Double?

    public init(status: Status, detail: String? = nil, evidence: String? = nil, evidenceTime: Double? = nil) {
        self.status = status
        self.detail = detail
        self.evidence = evidence
        self.evidenceTime = evidenceTime
    }

    public static let notDiscussed = BANTFinding(status: .notDiscussed)
}

/// Lead qualification: need, authority, budget, timeline.
public struct BANT: Sendable, Codable, Equatable {
    public var need: BANTFinding
    public var authority: BANTFinding
    public var budget: BANTFinding
    public var timeline: BANTFinding

    public init(need: BANTFinding = .notDiscussed, authority: BANTFinding = .notDiscussed, budget: BANTFinding = .notDiscussed,
                timeline: BANTFinding = .notDiscussed) {
        self.need = need
        self.authority = authority
        self.budget = budget
        self.timeline = timeline
    }

    /// How many of the four were identified.
    public var identifiedCount: Int { elements.filter { $0.finding.status == .identified }.count }

    /// The four in order, named `need`, `authority`, `budget`, `timeline`.
    public var elements: [(name: String, finding: BANTFinding)] {
        [("need", need), ("authority", authority), ("budget", budget), ("timeline", timeline)]
    }
}

/// The customer's overall mood in the call.
public enum Sentiment: String, Sendable, Codable, Equatable, CaseIterable {
    case positive, neutral, negative
}

/// The stored outcome of analysing one call. Fields an analyzer cannot fill stay nil, never invented.
public struct AnalysisResult: Sendable, Codable, Equatable {
    public var analyzer: String
    public var model: String?
    public var promptVersion: String?
    /// 0–100 over the rubric's weights; nil when the analyzer does not score.
    public var totalScore: Double?
    public var passed: Bool?
    public var parameters: [ParameterScore]
    public var bant: BANT?
    /// 2–3 suggestions specific to this call.
    public var coaching: [String]
    public var summary: String
    /// Objection themes raised by the customer (e.g. "price", "competitor").
    public var objections: [String]
    public var sentiment: Sentiment?
    /// Transcript metrics (talk ratio, silence, …) keyed by name.
    public var metrics: [String: Double]

    public init(
        analyzer: String, model: String? = nil, promptVersion: String? = nil, totalScore: Double? = nil, passed: Bool? = nil,
        parameters: [ParameterScore] = [], bant: BANT? = nil, coaching: [String] = [], summary: String, objections: [String] = [],
        sentiment: Sentiment? = nil, metrics: [String: Double] = [:]
    ) {
        self.analyzer = analyzer
        self.model = model
        self.promptVersion = promptVersion
        self.totalScore = totalScore
        self.passed = passed
        self.parameters = parameters
        self.bant = bant
        self.coaching = coaching
        self.summary = summary
        self.objections = objections
        self.sentiment = sentiment
        self.metrics = metrics
    }

    /// Names of the auto-fail items that failed this call.
    public var autoFailures: [String] { parameters.filter { $0.failedCall == true }.map(\.name) }

    /// Share of an item's weight from which it counts as a strong area (below it, an area to improve).
    public static let strongShare = 0.8

    /// Items that earned at least ``strongShare`` of their weight and did not fail the call, in rubric order.
    public var strongAreas: [ParameterScore] {
        parameters.filter { $0.failedCall != true && $0.maxScore > 0 && $0.score >= $0.maxScore * Self.strongShare }
    }

    /// Items that failed the call or earned less than ``strongShare`` of their weight: auto-fail first, then by
    /// points lost (the report's "areas to improve", the coaching endpoint's order).
    public var areasToImprove: [ParameterScore] {
        parameters.filter { $0.failedCall == true || ($0.maxScore > 0 && $0.score < $0.maxScore * Self.strongShare) }
            .sorted { ($0.failedCall == true ? 1 : 0, $0.maxScore - $0.score) > ($1.failedCall == true ? 1 : 0, $1.maxScore - $1.score) }
    }
}

/// Scores a transcript against a BID's rubric. Throws `StageError` (transient when a retry may help).
///
/// The transcript handed over is already redacted when the BID asks for it. Scores are clamped, the total and
/// pass/fail computed, and quotes checked against the transcript by ``AnalysisFinisher`` after the analyzer
/// returns, so every analyzer is held to the same rules.
public protocol CallAnalyzer: Sendable {
    var name: String { get }
    /// True when the transcript is sent to a service outside the box (a cloud LLM): BIDs with `redact_pii = llm`
    /// then get a redacted copy.
    var sendsTranscriptOffBox: Bool { get }
    func analyze(transcript: TranscriptResult, rubric: Rubric, call: CallContext) async throws -> AnalysisResult
}

extension CallAnalyzer {
    public var sendsTranscriptOffBox: Bool { false }
}
