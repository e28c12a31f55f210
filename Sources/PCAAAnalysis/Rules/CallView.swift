import PCAACore

/// The transcript as the rules analyzer reads it: segments in time order with their folded words, the call's
/// length, and which segments count as whose speech.
struct CallView: Sendable {
    struct Line: Sendable {
        var segment: TranscriptSegment
        var folded: [String]
    }

    let lines: [Line]
    let duration: Double
    /// True when nobody is labelled agent or customer (a mono call without diarization): unlabelled speech is then
    /// read as possibly anyone's, and reasons say so.
    let rolesUnknown: Bool

    init(_ transcript: TranscriptResult) {
        lines = transcript.segments.sorted { $0.start < $1.start }.map { Line(segment: $0, folded: PhraseMatcher.fold($0.text)) }
        let end = transcript.segments.map(\.end).max() ?? 0
        duration = max(transcript.audioDurationSeconds, end)
        rolesUnknown = !transcript.segments.contains { $0.role != .unknown }
    }

    /// Lines spoken by `role` (nil: anyone). Unlabelled lines count for everyone when no roles are known.
    func lines(by role: SpeakerRole?) -> [Line] {
        guard let role else { return lines }
        return lines.filter { $0.segment.role == role || (rolesUnknown && $0.segment.role == .unknown) }
    }

    /// Whether a line falls in the window: the opening is the first 20 % of the call (at least 15 s, at most 60 s),
    /// the closing its last 25 %.
    func inWindow(_ line: Line, _ window: RubricWindow) -> Bool {
        switch window {
        case .anywhere: return true
        case .opening: return line.segment.start <= max(15, min(60, duration * 0.2))
        case .closing: return line.segment.end >= duration * 0.75
        }
    }

    /// The first line (of `candidates`) containing one of `phrases`, with the phrase.
    static func firstMatch(_ phrases: [PhraseMatcher], in candidates: [Line]) -> (line: Line, phrase: String)? {
        for line in candidates {
            if let matcher = phrases.first(where: { $0.matches(line.folded) }) { return (line, matcher.phrase) }
        }
        return nil
    }

    /// m:ss for reasons.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        return "\(total / 60):\(String(format: "%02d", total % 60))"
    }
}
