import Foundation
import PCAACore

/// One call as the team digest counts it.
public struct DigestCall: Sendable {
    public var agentID: String?
    public var agentName: String?
    public var processingState: ProcessingState
    public var analysis: AnalysisResult?

    public init(agentID: String?, agentName: String?, processingState: ProcessingState, analysis: AnalysisResult?) {
        self.agentID = agentID
        self.agentName = agentName
        self.processingState = processingState
        self.analysis = analysis
    }
}

/// A supervisor group's day (seed §8.2): calls, analysed count, average score, top performers, who needs attention
/// and why, objection themes and the BANT pipeline. Computed from the calls alone, so the API, the CLI and the
/// scheduler all show the same figures.
public struct TeamDigest: Sendable, Encodable, Equatable {
    public struct AgentLine: Sendable, Encodable, Equatable {
        public let agentId: String?
        public let name: String
        public let averageScore: Double
        public let calls: Int
        /// For agents needing attention: their weakest rubric items and any auto-fail.
        public let why: String?
    }
    public struct ThemeLine: Sendable, Encodable, Equatable {
        public let theme: String
        public let calls: Int
    }
    public struct BANTLine: Sendable, Encodable, Equatable {
        public let element: String
        public let identified: Int
        public let of: Int
    }

    public let bid: String
    public let group: String
    /// The local day covered, `YYYY-MM-DD`.
    public let period: String
    public let timezone: String
    public let calls: Int
    public let analyzed: Int
    public let averageScore: Double?
    public let topPerformers: [AgentLine]
    public let needsAttention: [AgentLine]
    public let objectionThemes: [ThemeLine]
    public let bant: [BANTLine]
    /// Calls that ended in a failed state.
    public let failed: Int

    public init(bid: String, group: String, period: String, timezone: String, passThreshold: Double, calls: [DigestCall]) {
        self.bid = bid
        self.group = group
        self.period = period
        self.timezone = timezone
        self.calls = calls.count
        let scored = calls.filter { $0.analysis?.totalScore != nil }
        analyzed = calls.filter { $0.analysis != nil }.count
        failed = calls.filter { [.failedSTT, .failedAnalysis, .failedNotify].contains($0.processingState) }.count
        averageScore = scored.isEmpty ? nil : Self.round1(scored.compactMap { $0.analysis?.totalScore }.reduce(0, +) / Double(scored.count))

        // Per agent: average score, calls, and what they lose most on.
        var byAgent: [String: [DigestCall]] = [:]
        for call in scored { byAgent[call.agentID ?? call.agentName ?? "unknown", default: []].append(call) }
        let lines = byAgent.map { key, calls -> (AgentLine, Bool) in
            let average = Self.round1(calls.compactMap { $0.analysis?.totalScore }.reduce(0, +) / Double(calls.count))
            let autoFailed = Set(calls.flatMap { $0.analysis?.autoFailures ?? [] }).sorted()
            var lost: [String: Double] = [:]
            for call in calls {
                for parameter in call.analysis?.parameters ?? [] where parameter.maxScore > 0 {
                    lost[parameter.name, default: 0] += (parameter.maxScore - parameter.score) / parameter.maxScore
                }
            }
            let weakest = lost.filter { $0.value > 0 }.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.prefix(2).map(\.key)
            var why = weakest.joined(separator: " & ")
            if !autoFailed.isEmpty { why = "auto-fail: " + autoFailed.joined(separator: ", ") + (why.isEmpty ? "" : "; " + why) }
            let name = calls.first?.agentName ?? calls.first?.agentID ?? key
            let needsAttention = average < passThreshold || !autoFailed.isEmpty
            return (AgentLine(agentId: calls.first?.agentID, name: name, averageScore: average, calls: calls.count, why: why.isEmpty ? nil : why),
                    needsAttention)
        }
        let good: [AgentLine] = lines.filter { !$0.1 }.map(\.0)
        let weak: [AgentLine] = lines.filter(\.1).map(\.0)
        topPerformers = Array(good.sorted { Self.ordered($0, $1, highFirst: true) }.prefix(3))
        needsAttention = weak.sorted { Self.ordered($0, $1, highFirst: false) }

        var themes: [String: Int] = [:]
        for call in calls { for theme in Set(call.analysis?.objections ?? []) { themes[theme, default: 0] += 1 } }
        objectionThemes = themes.map { ThemeLine(theme: $0.key, calls: $0.value) }
            .sorted { $0.calls == $1.calls ? $0.theme < $1.theme : $0.calls > $1.calls }

        let withBANT = calls.compactMap { $0.analysis?.bant }
        var pipeline: [BANTLine] = []
        for (index, name) in BANT().elements.map(\.name).enumerated() where !withBANT.isEmpty {
            let identified = withBANT.filter { $0.elements[index].finding.status == .identified }.count
            pipeline.append(BANTLine(element: name, identified: identified, of: withBANT.count))
        }
        bant = pipeline
    }

    /// By average (highest or lowest first), equal averages by name.
    static func ordered(_ a: AgentLine, _ b: AgentLine, highFirst: Bool) -> Bool {
        if a.averageScore != b.averageScore { return highFirst ? a.averageScore > b.averageScore : a.averageScore < b.averageScore }
        return a.name < b.name
    }

    static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
