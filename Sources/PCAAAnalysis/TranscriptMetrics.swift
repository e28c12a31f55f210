import PCAACore

/// Speaking-time figures computed from transcript segments; no rubric, no language model.
public struct TranscriptMetrics: Sendable, Equatable {
    public var speechSeconds: [SpeakerRole: Double] = [:]
    public var words: [SpeakerRole: Int] = [:]
    public var turns: [SpeakerRole: Int] = [:]
    /// Share of the call with nobody speaking, 0–100.
    public var silencePercent: Double = 0

    /// Computes the figures for a call of `duration` seconds. Consecutive segments of one role count as one turn.
    public static func compute(segments: [TranscriptSegment], duration: Double) -> TranscriptMetrics {
        var metrics = TranscriptMetrics()
        var previousRole: SpeakerRole?
        for segment in segments.sorted(by: { $0.start < $1.start }) {
            let length = max(0, segment.end - segment.start)
            metrics.speechSeconds[segment.role, default: 0] += length
            metrics.words[segment.role, default: 0] += segment.text.split(whereSeparator: \.isWhitespace).count
            if segment.role != previousRole { metrics.turns[segment.role, default: 0] += 1 }
            previousRole = segment.role
        }
        let covered = unionLength(segments.map { ($0.start, $0.end) })
        metrics.silencePercent = duration > 0 ? max(0, min(100, (1 - covered / duration) * 100)) : 0
        return metrics
    }

    /// Agent speech as a share of all speech, 0–100, or nil when nobody spoke.
    public var agentTalkPercent: Double? {
        let total = speechSeconds.values.reduce(0, +)
        guard total > 0 else { return nil }
        return (speechSeconds[.agent] ?? 0) / total * 100
    }

    /// Flat name → value map as stored in `AnalysisResult.metrics`.
    public var asDictionary: [String: Double] {
        var result: [String: Double] = ["silence_percent": silencePercent]
        for role in [SpeakerRole.agent, .customer, .unknown] {
            result["\(role.rawValue)_speech_s"] = speechSeconds[role] ?? 0
            result["\(role.rawValue)_words"] = Double(words[role] ?? 0)
            result["\(role.rawValue)_turns"] = Double(turns[role] ?? 0)
        }
        if let agentTalkPercent { result["agent_talk_percent"] = agentTalkPercent }
        return result
    }

    static func unionLength(_ intervals: [(Double, Double)]) -> Double {
        var total = 0.0
        var currentStart: Double?
        var currentEnd = 0.0
        for (start, end) in intervals.sorted(by: { $0.0 < $1.0 }) where end > start {
            if let open = currentStart, start <= currentEnd {
                currentEnd = max(currentEnd, end)
                currentStart = open
            } else {
                if let open = currentStart { total += currentEnd - open }
                currentStart = start
                currentEnd = end
            }
        }
        if let open = currentStart { total += currentEnd - open }
        return total
    }
}
