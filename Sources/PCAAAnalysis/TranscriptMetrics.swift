import PCAACore

/// Conversation figures computed from transcript segments alone: no rubric, no language model. Every analyzer's
/// stored result carries them (the analyze stage computes them), under the names in ``asDictionary``.
///
/// Definitions (segments sorted by start; times in seconds):
/// - **speech time** of a role: the sum of its segments' lengths. **Talk ratio** (`agent_talk_percent`,
///   `customer_talk_percent`): a role's speech time over all speech time, 0–100.
/// - **silence** (`silence_percent`): the share of the call covered by no segment at all.
/// - **dead air** (`dead_air_count`, `longest_gap_s`): gaps between consecutive stretches of speech (any role) of
///   at least ``deadAirSeconds``; leading and trailing silence (ringing, hanging up) are not dead air.
/// - **interruption** (`agent_interruptions`, `customer_interruptions`): a segment that starts while a segment of
///   the other role is still running by more than ``overlapToleranceSeconds``; counted for the one who starts.
///   **Overtalk** (`overtalk_s`): total time both roles speak at once.
/// - **longest agent monologue** (`longest_agent_monologue_s`): the longest run of agent segments with no customer
///   segment starting in between, from the first one's start to the last one's end.
/// - **words per minute** (`agent_wpm`, …): a role's words over its speech time in minutes (0 without speech).
/// - **turns** (`agent_turns`, …): runs of consecutive segments of one role.
/// - **questions** (`agent_questions`, …): sentences ending in "?"; when the engine writes no question marks at
///   all, sentences starting with a question word (what, why, how, can, could, …).
public struct TranscriptMetrics: Sendable, Equatable {
    public static let deadAirSeconds = 5.0
    public static let overlapToleranceSeconds = 0.3

    public var speechSeconds: [SpeakerRole: Double] = [:]
    public var words: [SpeakerRole: Int] = [:]
    public var turns: [SpeakerRole: Int] = [:]
    public var questions: [SpeakerRole: Int] = [:]
    public var interruptions: [SpeakerRole: Int] = [:]
    public var silencePercent: Double = 0
    public var deadAirCount = 0
    public var longestGapSeconds: Double = 0
    public var overtalkSeconds: Double = 0
    public var longestAgentMonologueSeconds: Double = 0

    public static func compute(segments unsorted: [TranscriptSegment], duration: Double) -> TranscriptMetrics {
        let segments = unsorted.filter { $0.end >= $0.start }.sorted { $0.start == $1.start ? $0.end < $1.end : $0.start < $1.start }
        var metrics = TranscriptMetrics()
        let punctuated = segments.contains { $0.text.contains("?") }
        var previousRole: SpeakerRole?
        for segment in segments {
            metrics.speechSeconds[segment.role, default: 0] += segment.end - segment.start
            metrics.words[segment.role, default: 0] += segment.text.split(whereSeparator: \.isWhitespace).count
            metrics.questions[segment.role, default: 0] += questionCount(segment.text, punctuated: punctuated)
            if segment.role != previousRole { metrics.turns[segment.role, default: 0] += 1 }
            previousRole = segment.role
        }

        // Silence and dead air from the union of all speech.
        let stretches = union(segments.map { ($0.start, $0.end) })
        let covered = stretches.reduce(0) { $0 + ($1.1 - $1.0) }
        metrics.silencePercent = duration > 0 ? max(0, min(100, (1 - covered / duration) * 100)) : 0
        for (left, right) in zip(stretches, stretches.dropFirst()) {
            let gap = right.0 - left.1
            metrics.longestGapSeconds = max(metrics.longestGapSeconds, gap)
            if gap >= deadAirSeconds { metrics.deadAirCount += 1 }
        }

        // Interruptions and overtalk between agent and customer.
        for (index, segment) in segments.enumerated() where segment.role != .unknown {
            let other: SpeakerRole = segment.role == .agent ? .customer : .agent
            let interrupted = segments[..<index].contains {
                $0.role == other && $0.end - segment.start > overlapToleranceSeconds && $0.start < segment.start
            }
            if interrupted { metrics.interruptions[segment.role, default: 0] += 1 }
        }
        metrics.overtalkSeconds = overlap(union(segments.filter { $0.role == .agent }.map { ($0.start, $0.end) }),
                                          union(segments.filter { $0.role == .customer }.map { ($0.start, $0.end) }))

        // Longest agent monologue: runs of agent segments uninterrupted by a customer segment.
        var runStart: Double?
        var runEnd = 0.0
        for segment in segments {
            switch segment.role {
            case .agent:
                if runStart == nil { runStart = segment.start }
                runEnd = max(runEnd, segment.end)
                metrics.longestAgentMonologueSeconds = max(metrics.longestAgentMonologueSeconds, runEnd - runStart!)
            case .customer:
                runStart = nil
                runEnd = 0
            case .unknown:
                break
            }
        }
        return metrics
    }

    /// A role's speech as a share of all speech, 0–100, or nil when nobody spoke.
    public func talkPercent(_ role: SpeakerRole) -> Double? {
        let total = speechSeconds.values.reduce(0, +)
        guard total > 0 else { return nil }
        return (speechSeconds[role] ?? 0) / total * 100
    }

    /// Agent speech as a share of all speech, 0–100, or nil when nobody spoke.
    public var agentTalkPercent: Double? { talkPercent(.agent) }

    /// Words per minute of speech for a role (0 without speech).
    public func wordsPerMinute(_ role: SpeakerRole) -> Double {
        let seconds = speechSeconds[role] ?? 0
        return seconds > 0 ? Double(words[role] ?? 0) / (seconds / 60) : 0
    }

    /// Flat name → value map as stored in `AnalysisResult.metrics`.
    public var asDictionary: [String: Double] {
        var result: [String: Double] = [
            "silence_percent": round2(silencePercent), "dead_air_count": Double(deadAirCount), "longest_gap_s": round2(longestGapSeconds),
            "overtalk_s": round2(overtalkSeconds), "longest_agent_monologue_s": round2(longestAgentMonologueSeconds),
        ]
        for role in [SpeakerRole.agent, .customer, .unknown] {
            let name = role.rawValue
            result["\(name)_speech_s"] = round2(speechSeconds[role] ?? 0)
            result["\(name)_words"] = Double(words[role] ?? 0)
            result["\(name)_turns"] = Double(turns[role] ?? 0)
            result["\(name)_questions"] = Double(questions[role] ?? 0)
            result["\(name)_wpm"] = round2(wordsPerMinute(role))
            if let share = talkPercent(role) { result["\(name)_talk_percent"] = round2(share) }
        }
        result["agent_interruptions"] = Double(interruptions[.agent] ?? 0)
        result["customer_interruptions"] = Double(interruptions[.customer] ?? 0)
        return result
    }

    private func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    static let questionWords: Set<String> = [
        "what", "why", "how", "when", "where", "who", "whom", "which", "whose", "can", "could", "would", "will", "shall",
        "should", "do", "does", "did", "is", "are", "am", "was", "were", "have", "has", "may", "kya", "kab", "kaise", "kyun", "kitna",
    ]

    static func questionCount(_ text: String, punctuated: Bool) -> Int {
        if punctuated { return text.filter { $0 == "?" }.count }
        return text.split(whereSeparator: { ".!?\n".contains($0) }).filter { sentence in
            let first = sentence.split(whereSeparator: \.isWhitespace).first.map { $0.lowercased().filter(\.isLetter) } ?? ""
            return questionWords.contains(first)
        }.count
    }

    /// Sorted, merged intervals.
    static func union(_ intervals: [(Double, Double)]) -> [(Double, Double)] {
        var merged: [(Double, Double)] = []
        for (start, end) in intervals.sorted(by: { $0.0 < $1.0 }) where end > start {
            if let last = merged.last, start <= last.1 {
                merged[merged.count - 1].1 = max(last.1, end)
            } else {
                merged.append((start, end))
            }
        }
        return merged
    }

    /// Total length of the intersection of two sorted, merged interval lists.
    static func overlap(_ a: [(Double, Double)], _ b: [(Double, Double)]) -> Double {
        var i = 0, j = 0, total = 0.0
        while i < a.count && j < b.count {
            let low = max(a[i].0, b[j].0), high = min(a[i].1, b[j].1)
            if high > low { total += high - low }
            if a[i].1 < b[j].1 { i += 1 } else { j += 1 }
        }
        return total
    }
}
