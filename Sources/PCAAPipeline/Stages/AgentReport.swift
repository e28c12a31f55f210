import Foundation
import PCAACore
import PCAAStore

/// The plain-text call report an agent receives (seed §8.1), from what the analysis really holds.
enum AgentReport {
    static func subject(call: Call, analysis: AnalysisResult) -> String {
        if let score = analysis.totalScore {
            return "Call quality report: \(Int(score.rounded()))/100 (call \(call.callid))"
        }
        return "Call report (call \(call.callid))"
    }

    static func text(call: Call, analysis: AnalysisResult) -> String {
        var lines: [String] = []
        lines.append("Call Quality Report - \(call.callStarttime.map(Timestamp.iso8601) ?? Timestamp.iso8601(call.webhookReceivedAt))")
        if let customer = call.customerPhone { lines.append("Call with: \(customer)") }
        lines.append("Duration: \(call.durationSeconds / 60)m \(call.durationSeconds % 60)s")
        lines.append("")
        if let score = analysis.totalScore {
            lines.append("Your Score: \(Int(score.rounded()))/100" + (analysis.passed.map { $0 ? " (pass)" : " (below target)" } ?? ""))
            let scored = analysis.parameters.filter { $0.maxScore > 0 || $0.failedCall == true }
            let strong = scored.filter { $0.failedCall != true && $0.score >= $0.maxScore * 0.8 }
            let weak = scored.filter { $0.failedCall == true || $0.score < $0.maxScore * 0.8 }
            if !strong.isEmpty {
                lines.append("")
                lines.append("Strong areas:")
                lines.append(contentsOf: strong.map { "  - \($0.name) (\(points($0.score))/\(points($0.maxScore))) - \($0.reason)" })
            }
            if !weak.isEmpty {
                lines.append("")
                lines.append("Areas to improve:")
                lines.append(contentsOf: weak.map {
                    "  - \($0.name)" + ($0.maxScore > 0 ? " (\(points($0.score))/\(points($0.maxScore)))" : "")
                        + ($0.failedCall == true ? " - FAILED THE CALL" : "") + " - \($0.reason)"
                })
            }
        }
        if let bant = analysis.bant {
            lines.append("")
            lines.append("BANT Status:")
            for (name, finding) in [("Need", bant.need), ("Authority", bant.authority), ("Budget", bant.budget), ("Timeline", bant.timeline)] {
                lines.append("  \(name): " + (finding.status == .identified ? "Identified" + (finding.evidence.map { " (\"\($0)\")" } ?? "") : "Not discussed"))
            }
        }
        if !analysis.coaching.isEmpty {
            lines.append("")
            lines.append("Coaching tips:")
            lines.append(contentsOf: analysis.coaching.map { "  - \($0)" })
        }
        lines.append("")
        lines.append(analysis.summary)
        return lines.joined(separator: "\n")
    }

    private static func points(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
