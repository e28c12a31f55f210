/// The MIME encodings e-mail needs: quoted-printable bodies (RFC 2045 §6.7) and `=?UTF-8?B?…?=` encoded-words
/// for header text (RFC 2047), plus the clean-up that keeps CR/LF out of headers.
enum MIMEEncoding {
    /// Longest encoded line, the soft-break `=` included (RFC 2045).
    static let maxQuotedPrintableLine = 76
    /// UTF-8 octets per encoded-word: 36 → 48 base64 characters → a 60-character word (RFC 2047 allows 75).
    static let encodedWordOctets = 36

    // MARK: Quoted-printable

    /// `text` as quoted-printable with CRLF line breaks (any of CRLF, LF, CR in the input counts as one break).
    /// Output lines are ≤ 76 characters; `=` only ever starts `=XX` or a soft break, so a boundary beginning with
    /// `=_` can never occur in the result.
    static func quotedPrintable(_ text: String) -> String {
        var output: [UInt8] = []
        let lines = normalizedLines(text)
        for (index, line) in lines.enumerated() {
            if index > 0 { output.append(contentsOf: [0x0D, 0x0A]) }
            var lineLength = 0
            let bytes = Array(line.utf8)
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 0x20 || byte == 0x09) && !isLast)
                // A leading "." is encoded too: harmless, and no relay can mistake it for the end of the data.
                let token: [UInt8] = literal && !(position == 0 && byte == UInt8(ascii: ".")) ? [byte] : escaped(byte)
                // Room for the token, plus the "=" of a soft break unless the token ends the line.
                let room = maxQuotedPrintableLine - (isLast ? 0 : 1)
                if lineLength + token.count > room {
                    output.append(contentsOf: Array("=\r\n".utf8))
                    lineLength = 0
                }
                output.append(contentsOf: token)
                lineLength += token.count
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func escaped(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    /// The lines of `text`, split at CRLF, LF or a lone CR.
    static func normalizedLines(_ text: String) -> [Substring] {
        // Swift treats "\r\n" as one Character, so splitting on newlines handles all three forms.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" })
    }

    // MARK: Header text

    /// `text` on one line: CR, LF and other control characters become spaces, runs of spaces collapse, ends trimmed.
    /// This is what makes header injection impossible.
    static func headerSafe(_ text: String) -> String {
        var result = ""
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.generalCategory == .control || scalar == " " || scalar == "\u{2028}" || scalar == "\u{2029}"
                || scalar == "\u{85}"
            if isSpace {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        while result.last == " " { result.removeLast() }
        return result
    }

    /// `text` (already header-safe) as RFC 2047 B encoded-words of whole characters, each ≤ 75 characters.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + base64(chunk) + "?=")
            chunk = []
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count <= encodedWordOctets {
                if chunk.count + bytes.count > encodedWordOctets { flush() }
                chunk += bytes
            } else {
                // A huge grapheme cluster (combining marks): split between its scalars instead.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if chunk.count + scalarBytes.count > encodedWordOctets { flush() }
                    chunk += scalarBytes
                }
            }
        }
        flush()
        return words
    }

    /// Standard base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let a = bytes[index]
            let b = index + 1 < bytes.count ? bytes[index + 1] : 0
            let c = index + 2 < bytes.count ? bytes[index + 2] : 0
            output.append(alphabet[Int(a >> 2)])
            output.append(alphabet[Int((a & 0x03) << 4 | b >> 4)])
            output.append(index + 1 < bytes.count ? alphabet[Int((b & 0x0F) << 2 | c >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < bytes.count ? alphabet[Int(c & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
