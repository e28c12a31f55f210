import PCAACore

/// Matches cue phrases in transcript text the way a listener would: case and punctuation ignored, inflections
/// folded ("explaining" = "explained" = "explain"), and one-letter slips of the speech engine in longer words
/// tolerated ("recieved" = "received"). Words must come in the phrase's order, next to each other.
public struct PhraseMatcher: Sendable {
    /// The phrase's folded words.
    public let words: [String]
    public let phrase: String

    public init(_ phrase: String) {
        self.phrase = phrase
        self.words = Self.fold(phrase)
    }

    /// Folded words of `text`: normalised (see ``WordErrorRate/words(_:)``) and stemmed.
    public static func fold(_ text: String) -> [String] {
        WordErrorRate.words(text).map(stem)
    }

    /// Whether the folded words `text` contain this phrase.
    public func matches(_ text: [String]) -> Bool {
        guard !words.isEmpty, words.count <= text.count else { return false }
        for start in 0...(text.count - words.count) where Self.same(words[0], text[start]) {
            if zip(words.dropFirst(), text[(start + 1)...]).allSatisfy({ Self.same($0, $1) }) { return true }
        }
        return false
    }

    /// A light English suffix stripper: enough to fold "calls/calling/called", "tries/tried", "quickly".
    static func stem(_ word: String) -> String {
        guard word.count > 4, word.allSatisfy(\.isLetter) else { return word }
        for suffix in ["ing", "ied", "ies", "ed", "ly", "es", "s"] where word.hasSuffix(suffix) {
            if suffix == "s" && word.hasSuffix("ss") { return word }
            var base = String(word.dropLast(suffix.count))
            if suffix == "ied" || suffix == "ies" { base += "y" }
            // "scheduling" → "schedul", "schedule" → "schedul": drop a final e so both agree.
            return base.count >= 3 ? base : word
        }
        return word.hasSuffix("e") ? String(word.dropLast()) : word
    }

    /// Equal, or one edit apart when both words are long enough for a slip to be unambiguous.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard a.count >= 6, b.count >= 6, abs(a.count - b.count) <= 1, a.first == b.first else { return false }
        return editDistanceAtMostOne(Array(a), Array(b))
    }

    private static func editDistanceAtMostOne(_ a: [Character], _ b: [Character]) -> Bool {
        var i = 0, j = 0, edits = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if a.count > b.count { i += 1 } else if b.count > a.count { j += 1 } else { i += 1; j += 1 }
        }
        return edits + (a.count - i) + (b.count - j) <= 1
    }
}
