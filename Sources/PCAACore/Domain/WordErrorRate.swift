import Foundation

/// Word error rate: word-level Levenshtein distance over normalised text (lowercase, letters/digits only).
/// Used by the local engine's test and by `pcaa bench stt`.
public enum WordErrorRate {
    /// The normalised words of `text`.
    public static func words(_ text: String) -> [String] {
        text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "'" ? $0 : " " }
            .split(separator: " ").map { String($0).replacingOccurrences(of: "'", with: "") }.filter { !$0.isEmpty }
    }

    /// Substitutions + insertions + deletions needed to turn `hypothesis` into `reference`.
    public static func edits(reference: [String], hypothesis: [String]) -> Int {
        guard !reference.isEmpty else { return hypothesis.count }
        var previous = Array(0...hypothesis.count)
        for (i, word) in reference.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: hypothesis.count)
            for (j, candidate) in hypothesis.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (word == candidate ? 0 : 1))
            }
            previous = current
        }
        return previous[hypothesis.count]
    }
}
