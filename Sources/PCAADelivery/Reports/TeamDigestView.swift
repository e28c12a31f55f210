import Foundation

/// What the team digest templates render, from a ``TeamDigest``.
struct TeamDigestView {
    struct AgentLine {
        let rank: Int
        let name: String
        let averageLabel: String
        let callsLabel: String
        let why: String?
    }
    struct ThemeLine {
        let theme: String
        let callsLabel: String
    }
    struct BANTLine {
        let label: String
        let count: Int
        let of: Int
        let lowest: Bool
    }

    let bid: String
    let group: String
    let period: String
    let timezone: String
    let callCount: Int
    let analyzedCount: Int
    let averageLabel: String
    let top: [AgentLine]
    let attention: [AgentLine]
    let objections: [ThemeLine]
    let bant: [BANTLine]
    let failedCount: Int?
    let hasTop: Bool
    let hasAttention: Bool
    let hasObjections: Bool
    let hasBANT: Bool

    init(_ digest: TeamDigest) {
        bid = digest.bid
        group = digest.group
        period = digest.period
        timezone = digest.timezone
        callCount = digest.calls
        analyzedCount = digest.analyzed
        averageLabel = digest.averageScore.map { String(format: "%.1f/100", $0) } ?? "n/a"
        func line(_ index: Int, _ agent: TeamDigest.AgentLine) -> AgentLine {
            AgentLine(rank: index + 1, name: agent.name, averageLabel: String(format: "%.1f", agent.averageScore),
                      callsLabel: agent.calls == 1 ? "1 call" : "\(agent.calls) calls", why: agent.why)
        }
        top = digest.topPerformers.enumerated().map { line($0.offset, $0.element) }
        attention = digest.needsAttention.enumerated().map { line($0.offset, $0.element) }
        objections = digest.objectionThemes.map { ThemeLine(theme: $0.theme, callsLabel: $0.calls == 1 ? "1 call" : "\($0.calls) calls") }
        let labels = ["need": "Needs clearly identified", "authority": "Decision maker identified", "budget": "Budget discussed",
                      "timeline": "Timeline discussed"]
        let lowest = digest.bant.map(\.identified).min()
        bant = digest.bant.map {
            BANTLine(label: labels[$0.element] ?? $0.element, count: $0.identified, of: $0.of, lowest: $0.identified == lowest && $0.identified < $0.of)
        }
        failedCount = digest.failed > 0 ? digest.failed : nil
        hasTop = !top.isEmpty
        hasAttention = !attention.isEmpty
        hasObjections = !objections.isEmpty
        hasBANT = !bant.isEmpty
    }
}

extension ReportTemplates {
    /// The digest as text and HTML, and its subject line.
    public func digest(_ digest: TeamDigest) -> (subject: String, text: String, html: String) {
        let view = TeamDigestView(digest)
        let subject = "Team quality report \(digest.period) - \(digest.group) (BID \(digest.bid)): "
            + (digest.averageScore.map { String(format: "avg %.1f/100 over %d calls", $0, digest.analyzed) } ?? "\(digest.calls) calls")
        return (subject, render("team_digest.txt", view), render("team_digest.html", view))
    }

    /// The agent report as text, HTML and WhatsApp text.
    public func agentReport(_ view: AgentReportView) -> (text: String, html: String, whatsapp: String) {
        (render("agent_report.txt", view), render("agent_report.html", view), render("agent_report.whatsapp", view))
    }
}
