/// Renders header fields that carry human text (display names, subjects) safely: one logical line (CR/LF removed),
/// plain ASCII folded at spaces, anything else as RFC 2047 encoded-words, and no physical line over 998 octets.
enum EmailHeaders {
    /// Preferred line length (RFC 5322 §2.1.1); longer only when one word is longer.
    static let preferredLine = 78
    /// A single ASCII word longer than this is sent as encoded-words instead (the hard limit is 998).
    static let longestPlainWord = 900
    /// Display names are cut to this many characters.
    static let maxDisplayNameCharacters = 200

    /// `Name: value` with `value` folded or encoded; lines joined by CRLF + space, no trailing CRLF.
    static func unstructured(_ name: String, _ text: String) -> String {
        let clean = MIMEEncoding.headerSafe(text)
        if needsEncoding(clean) {
            return "\(name): " + MIMEEncoding.encodedWords(clean).joined(separator: "\r\n ")
        }
        return fold(prefix: "\(name): ", words: clean.split(separator: " ").map(String.init))
    }

    /// `Name: display <address>` (or just `address` without a name). The address must already be valid.
    static func mailbox(_ name: String, displayName: String?, address: String) -> String {
        let clean = MIMEEncoding.headerSafe(displayName ?? "")
        guard !clean.isEmpty else { return "\(name): \(address)" }
        let cut = String(clean.prefix(maxDisplayNameCharacters))
        if needsEncoding(cut) {
            return "\(name): " + MIMEEncoding.encodedWords(cut).joined(separator: "\r\n ") + "\r\n <\(address)>"
        }
        return "\(name): " + quoted(cut) + " <\(address)>"
    }

    /// A quoted-string (RFC 5322 §3.2.4): `"` and `\` escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Non-ASCII text, text that looks like an encoded-word, or a word too long to fold.
    private static func needsEncoding(_ text: String) -> Bool {
        !text.allSatisfy(\.isASCII) || text.contains("=?")
            || text.split(separator: " ").contains { $0.utf8.count > longestPlainWord }
    }

    private static func fold(prefix: String, words: [String]) -> String {
        var lines: [String] = []
        var line = prefix.trimmingSuffixSpace
        for word in words {
            if line.utf8.count + 1 + word.utf8.count > preferredLine, line.utf8.count > prefix.utf8.count {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }
}

private extension String {
    var trimmingSuffixSpace: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
