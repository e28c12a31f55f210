import Foundation
import PCAACore

/// How far a BID's transcripts are redacted (`bid_config.redact_pii`).
public enum RedactionScope: String, Sendable, CaseIterable {
    /// Stored transcript text, word timings and quotes, and everything sent to a language model.
    case all
    /// Only what leaves the box (the transcript a cloud LLM analyzer receives); stored text stays as spoken.
    case llm
    /// Nothing is redacted.
    case none
}

/// Removes personal data from transcript text: card numbers (13–19 digits passing the Luhn check), phone numbers
/// (Indian mobiles with or without +91/0, and other runs of 10–13 digits), other long numbers (account, Aadhaar),
/// PAN numbers, e-mail addresses, and numbers spoken as words ("nine eight seven …", 7 or more). Digits may be
/// grouped by spaces, dots or hyphens, as speech-to-text engines write them.
public enum PIIRedactor {
    public static let card = "[card]"
    public static let phone = "[phone]"
    public static let number = "[number]"
    public static let email = "[email]"
    public static let pan = "[pan]"

    // Patterns are compiled once; NSRegularExpression is Sendable and thread-safe for matching.
    private static let emailPattern = try! NSRegularExpression(
        pattern: #"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"#)
    private static let panPattern = try! NSRegularExpression(pattern: #"\b[A-Za-z]{5}[0-9]{4}[A-Za-z]\b"#)
    private static let digitsPattern = try! NSRegularExpression(pattern: #"\+?\d(?:[ .\-]?\d){6,}"#)
    private static let spokenPattern = try! NSRegularExpression(
        pattern: #"\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)[\s,\-]+){6,}(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b"#,
        options: [.caseInsensitive])

    /// `text` with personal data replaced by placeholders.
    public static func redact(_ text: String) -> String {
        var result = replace(emailPattern, in: text) { _ in email }
        result = replace(panPattern, in: result) { _ in pan }
        result = replace(digitsPattern, in: result) { match in classify(digits: match.filter(\.isNumber)) ?? match }
        result = replace(spokenPattern, in: result) { _ in number }
        return result
    }

    /// A transcript with every segment (and its words) redacted; segments whose text changed lose the word timings
    /// that carried the personal data.
    public static func redact(_ transcript: TranscriptResult) -> TranscriptResult {
        var copy = transcript
        copy.segments = transcript.segments.map { segment in
            var redacted = segment
            redacted.text = redact(segment.text)
            if redacted.text != segment.text {
                redacted.words = segment.words?.map { word in
                    var masked = word
                    if word.word.filter(\.isNumber).count >= 3 || word.word.contains("@") || redact(word.word) != word.word {
                        masked.word = "[redacted]"
                    }
                    return masked
                }
            }
            return redacted
        }
        copy.text = redact(transcript.text)
        return copy
    }

    /// The placeholder for a run of digits, or nil to leave it (short numbers: amounts, dates, counts).
    static func classify(digits: String) -> String? {
        let count = digits.count
        if (13...19).contains(count), luhnValid(digits) { return card }
        var local = Substring(digits)
        if local.count == 12, local.hasPrefix("91") { local = local.dropFirst(2) }
        if local.count == 11, local.hasPrefix("0") { local = local.dropFirst() }
        if local.count == 10, let first = local.first, "6789".contains(first) { return phone }
        if (10...13).contains(count) { return phone }
        if count >= 9 { return number }
        return nil
    }

    /// The Luhn checksum used by payment card numbers.
    public static func luhnValid(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == digits.count, values.count >= 2 else { return false }
        var sum = 0
        for (index, value) in values.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = value * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += value
            }
        }
        return sum % 10 == 0
    }

    private static func replace(_ pattern: NSRegularExpression, in text: String, with replacement: (String) -> String) -> String {
        let whole = NSRange(text.startIndex..., in: text)
        var result = ""
        var cursor = text.startIndex
        for match in pattern.matches(in: text, range: whole) {
            guard let range = Range(match.range, in: text) else { continue }
            result += text[cursor..<range.lowerBound]
            result += replacement(String(text[range]))
            cursor = range.upperBound
        }
        result += text[cursor...]
        return result
    }
}
