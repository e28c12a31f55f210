import Foundation

/// Turns a stored phone number into the Cloud API's `to`: digits only, international form, no `+`.
enum WhatsAppRecipient {
    /// `+91 98765-43210`, `0091 9876543210`, `98765 43210` (with country code 91) → `919876543210`; nil when the
    /// result is not 8-15 digits (E.164) or the input held anything but digits, `+`, spaces, dashes, dots and brackets.
    static func normalize(_ raw: String, defaultCountryCode: String) -> String? {
        let separators: Set<Character> = [" ", "-", ".", "(", ")", "\u{00A0}"]
        var text = raw.trimmingCharacters(in: .whitespaces).filter { !separators.contains($0) }
        var international = false
        if text.hasPrefix("+") {
            text.removeFirst()
            international = true
        } else if text.hasPrefix("00") {
            text.removeFirst(2)
            international = true
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if !international {
            // A national number: 10 digits, or 11 with the trunk prefix 0 (India: 0 98765 43210).
            if text.count == 11, text.hasPrefix("0") { text.removeFirst() }
            if text.count == 10, !text.hasPrefix("0") { text = defaultCountryCode + text }
        }
        guard (8...15).contains(text.count), !text.hasPrefix("0") else { return nil }
        return text
    }

    /// `body` cut to at most `limit` UTF-16 units (what the API counts) on a character boundary, ending in `…` when cut.
    static func truncated(_ body: String, limit: Int = 4096) -> String {
        guard body.utf16.count > limit else { return body }
        var result = ""
        var units = 0
        for character in body {
            let size = character.utf16.count
            if units + size > limit - 1 { break }
            result.append(character)
            units += size
        }
        return result + "…"
    }
}
