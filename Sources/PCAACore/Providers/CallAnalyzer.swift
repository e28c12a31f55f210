/// A rubric item as the analyzer sees it (from `quality_parameters`).
public struct RubricItem: Sendable, Codable, Equatable {
    public var name: String
    public var description: String
    public var weight: Int
    public var cuePhrases: [String]
    public var autoFail: Bool

    public init(name: String, description: String, weight: Int, cuePhrases: [String], autoFail: Bool) {
        self.name = name
        self.description = description
        self.weight = weight
        self.cuePhrases = cuePhrases
        self.autoFail = autoFail
    }
}

/// A score for one rubric item, with the reason and the evidence behind it.
public struct ParameterScore: Sendable, Codable, Equatable {
    public var name: String
    public var score: Double
    public var maxScore: Double
    public var reason: String
    public var evidence: String?
    public var evidenceTime: Double?
}

/// The stored outcome of analysing one call. Fields an analyzer cannot fill stay nil, never invented.
public struct AnalysisResult: Sendable, Codable, Equatable {
    public var analyzer: String
    public var model: String?
    public var promptVersion: String?
    public var totalScore: Double?
    public var passed: Bool?
    public var parameters: [ParameterScore]
    public var coaching: [String]
    public var summary: String
    /// Transcript metrics (talk ratio, silence, …) keyed by name.
    public var metrics: [String: Double]

    public init(
        analyzer: String, model: String? = nil, promptVersion: String? = nil, totalScore: Double? = nil, passed: Bool? = nil,
        parameters: [ParameterScore] = [], coaching: [String] = [], summary: String, metrics: [String: Double] = [:]
    ) {
        self.analyzer = analyzer
        self.model = model
        self.promptVersion = promptVersion
        self.totalScore = totalScore
        self.passed = passed
        self.parameters = parameters
        self.coaching = coaching
        self.summary = summary
        self.metrics = metrics
    }
}

/// Scores a transcript against a BID's rubric. Throws `StageError`.
public protocol CallAnalyzer: Sendable {
    var name: String { get }
    func analyze(transcript: TranscriptResult, rubric: [RubricItem], call: CallContext) async throws -> AnalysisResult
}
