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
            for parameter in analysis.parameters {
                lines.append("  - \(parameter.name) (\(Int(parameter.score))/\(Int(parameter.maxScore))): \(parameter.reason)")
            }
        }
        lines.append(analysis.summary)
        if !analysis.coaching.isEmpty {
            lines.append("")
            lines.append("Coaching tips:")
            lines.append(contentsOf: analysis.coaching.map { "  - \($0)" })
        }
        return lines.joined(separator: "\n")
    }
}
