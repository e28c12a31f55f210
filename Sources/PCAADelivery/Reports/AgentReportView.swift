import Foundation
import PCAACore

/// The facts about a call that a report shows next to its analysis.
public struct ReportCall: Sendable, Equatable {
    public var callid: String
    public var agentName: String?
    public var customerPhone: String?
    public var callTime: Date
    public var durationSeconds: Int

    public init(callid: String, agentName: String?, customerPhone: String?, callTime: Date, durationSeconds: Int) {
        self.callid = callid
        self.agentName = agentName
        self.customerPhone = customerPhone
        self.callTime = callTime
        self.durationSeconds = durationSeconds
    }
}

/// What the agent report templates render (seed §8.1): strong areas and areas to improve with their reasons
/// (``AnalysisResult/strongAreas``, ``AnalysisResult/areasToImprove``), BANT status and coaching tips, from what the
/// analysis really holds.
public struct AgentReportView: Sendable {
    public struct Item: Sendable {
        let name: String
        let points: String
        let reason: String
        let failedCall: Bool
    }
    public struct BANTLine: Sendable {
        let name: String
        let status: String
        let detail: String?
    }

    let callid: String
    let agentName: String
    let customerPhone: String?
    let dateLabel: String
    let durationLabel: String
    let hasScore: Bool
    let scoreLabel: String
    let noScoreReason: String
    let failedItems: String?
    let strong: [Item]
    let weak: [Item]
    let bant: [BANTLine]
    let coaching: [String]
    let summary: String?
    let analyzer: String
    let hasStrong: Bool
    let hasWeak: Bool
    let hasBANT: Bool
    let hasCoaching: Bool
    /// For the subject line and WhatsApp template parameters.
    public let score: Double?

    public init(call: ReportCall, analysis: AnalysisResult, timeZone: TimeZone) {
        callid = call.callid
        agentName = call.agentName ?? "Agent"
        customerPhone = call.customerPhone
        dateLabel = Self.localTime(call.callTime, timeZone)
        durationLabel = "\(call.durationSeconds / 60)m \(call.durationSeconds % 60)s"
        score = analysis.totalScore
        hasScore = analysis.totalScore != nil
        scoreLabel = analysis.totalScore.map { "\(Self.points($0))/100" + (analysis.passed == false ? " (below target)" : "") } ?? ""
        noScoreReason = analysis.summary.isEmpty ? "the analyzer gives no score" : analysis.summary
        failedItems = analysis.autoFailures.isEmpty ? nil : analysis.autoFailures.joined(separator: ", ")
        strong = analysis.strongAreas
            .map { Item(name: $0.name, points: "\(Self.points($0.score))/\(Self.points($0.maxScore))", reason: $0.reason, failedCall: false) }
        weak = analysis.areasToImprove
            .map { Item(name: $0.name, points: "\(Self.points($0.score))/\(Self.points($0.maxScore))", reason: $0.reason, failedCall: $0.failedCall == true) }
        bant = analysis.bant?.elements.map { name, finding in
            BANTLine(name: name.prefix(1).uppercased() + name.dropFirst(),
                     status: finding.status == .identified ? "Identified ✓" : "Not discussed ✗",
                     detail: finding.status == .identified ? (finding.detail ?? finding.evidence.map { "“\($0)”" }) : nil)
        } ?? []
        coaching = analysis.coaching
        summary = analysis.summary.isEmpty || analysis.totalScore == nil ? nil : analysis.summary
        analyzer = analysis.analyzer
        hasStrong = !strong.isEmpty
        hasWeak = !weak.isEmpty
        hasBANT = !bant.isEmpty
        hasCoaching = !coaching.isEmpty
    }

    public var subject: String {
        guard let score else { return "Call report - call \(callid)" }
        return "Call quality report: \(Self.points(score))/100 - call \(callid) (\(dateLabel))"
    }

    /// Values for a WhatsApp template's body placeholders: agent name, date, score, first coaching tip.
    public var templateParameters: [String] {
        [agentName, dateLabel, score.map { "\(Self.points($0))/100" } ?? "n/a", coaching.first ?? "—"]
    }

    static func points(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// `2026-03-11 18:03 IST` style, in the BID's zone.
    static func localTime(_ date: Date, _ zone: TimeZone) -> String {
        let local = LocalClock(date, zone)
        let abbreviation = zone.identifier == "Asia/Kolkata" ? "IST" : (zone.abbreviation(for: date) ?? zone.identifier)
        return "\(local.dateString) \(local.two(local.hour)):\(local.two(local.minute)) \(abbreviation)"
    }
}
