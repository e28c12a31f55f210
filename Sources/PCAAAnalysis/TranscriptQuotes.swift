import PCAACore

/// Finds quotes in a transcript, tolerant of case, punctuation and spacing but not of different words, so an
/// analyzer (above all a language model) cannot store evidence the call does not contain.
public struct TranscriptQuotes: Sendable {
    /// One segment's normalised words, with where the segment sits in the joined text.
    private struct Entry: Sendable {
        var start: Double
        var role: SpeakerRole
        var range: Range<Int>
    }

    private let joined: [String]
    private let entries: [Entry]

    public init(_ segments: [TranscriptSegment]) {
        var joined: [String] = []
        var entries: [Entry] = []
        for segment in segments.sorted(by: { $0.start < $1.start }) {
            let words = Self.words(segment.text)
            entries.append(Entry(start: segment.start, role: segment.role, range: joined.count..<(joined.count + words.count)))
            joined += words
        }
        self.joined = joined
        self.entries = entries
    }

    /// Lowercased words of `text`, letters and digits only (apostrophes dropped: "don't" = "dont").
    public static func words(_ text: String) -> [String] {
        WordErrorRate.words(text)
    }

    /// Where `quote` occurs (the start time and role of the segment it begins in), or nil when the transcript
    /// does not contain it word for word. Quotes shorter than two words are refused: too easy to "find".
    public func locate(_ quote: String) -> (time: Double, role: SpeakerRole)? {
        let needle = Self.words(quote)
        guard needle.count >= 2, needle.count <= joined.count else { return nil }
        var index = 0
        while index + needle.count <= joined.count {
            if joined[index] == needle[0], Array(joined[index..<(index + needle.count)]) == needle {
                guard let entry = entries.first(where: { $0.range.contains(index) }) else { return nil }
                return (entry.start, entry.role)
            }
            index += 1
        }
        return nil
    }
}
