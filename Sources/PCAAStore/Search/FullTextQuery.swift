/// A transcript search as SQLite FTS5 receives it, built from what a user typed so that no input can be read as
/// FTS5 syntax: words and "quoted phrases" become quoted strings that must all occur (AND); a word ending in `*`
/// matches as a prefix. Punctuation is dropped, letters of any script are kept.
public struct FullTextQuery: Sendable, Equatable {
    /// The FTS5 MATCH expression.
    public let expression: String

    public static let maxTerms = 16

    /// nil when the text holds no searchable word.
    public init?(_ text: String) {
        var terms: [String] = []
        var inQuote = false
        var word = ""
        var phrase: [String] = []
        func endWord(prefix: Bool = false) {
            guard !word.isEmpty else { return }
            if inQuote {
                phrase.append(word)
            } else {
                terms.append("\"\(word)\"" + (prefix ? "*" : ""))
            }
            word = ""
        }
        for char in text.prefix(1000) {
            if char == "\"" {
                endWord()
                if inQuote, !phrase.isEmpty { terms.append("\"" + phrase.joined(separator: " ") + "\"") }
                phrase = []
                inQuote.toggle()
            } else if char.isLetter || char.isNumber || char.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark
                || $0.properties.generalCategory == .spacingMark }) {
                word.append(char)
            } else if char == "*" {
                endWord(prefix: !inQuote)
            } else {
                endWord()
            }
        }
        endWord()
        if inQuote, !phrase.isEmpty { terms.append("\"" + phrase.joined(separator: " ") + "\"") }
        guard !terms.isEmpty else { return nil }
        expression = terms.prefix(Self.maxTerms).joined(separator: " ")
    }
}
