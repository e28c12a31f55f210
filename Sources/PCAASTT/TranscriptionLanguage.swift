/// Maps pcaa's call languages (BCP-47 tags such as `en-IN`) to the ISO-639-1 codes transcription APIs expect.
public enum TranscriptionLanguage {
    /// The ISO-639-1 code for `tag`, or nil when the engine should detect the language itself.
    ///
    /// `en-IN` / `en_IN` / `EN` → `en`; a few ISO-639-2/3 codes (`eng`, `hin`, …) → their two-letter form;
    /// `unknown`, `auto`, `und`, empty and anything unrecognised → nil.
    public static func iso639_1(from tag: String) -> String? {
        let primary = tag.trimmingSpaces
            .split(whereSeparator: { $0 == "-" || $0 == "_" }).first
            .map { $0.lowercased() } ?? ""
        guard !primary.isEmpty, primary.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { return nil }
        switch primary.count {
        case 2:
            return primary
        case 3:
            return threeLetter[primary]
        default:
            return nil
        }
    }

    /// Sarvam's `language_code`: `xx-IN` for a known language (Odia is `od-IN`), `unknown` to let it detect.
    public static func sarvamCode(from tag: String) -> String {
        guard let code = iso639_1(from: tag) else { return "unknown" }
        return (code == "or" ? "od" : code) + "-IN"
    }

    /// Deepgram's `language`: English keeps its region (`en-IN`), others their ISO-639-1 code; `multi`
    /// (code-switching detection) when the call's language is unknown.
    public static func deepgramCode(from tag: String) -> String {
        guard let code = iso639_1(from: tag) else { return "multi" }
        let parts = tag.trimmingSpaces.split(whereSeparator: { $0 == "-" || $0 == "_" })
        if code == "en", parts.count == 2, parts[1].count == 2 { return "en-" + parts[1].uppercased() }
        return code
    }

    /// Normalises the language a provider reports (`en`, `english`, `en-US`) to ISO-639-1, or nil if unrecognised.
    public static func normalizeReported(_ reported: String) -> String? {
        let lowered = reported.trimmingSpaces.lowercased()
        if lowered.hasPrefix("od-") { return "or" } // Sarvam's code for Odia
        if let name = names[lowered] { return name }
        return iso639_1(from: lowered)
    }

    /// ISO-639-2/3 codes seen in call metadata, mapped to ISO-639-1.
    private static let threeLetter: [String: String] = [
        "eng": "en", "hin": "hi", "ben": "bn", "tam": "ta", "tel": "te", "kan": "kn", "mal": "ml",
        "mar": "mr", "guj": "gu", "pan": "pa", "urd": "ur", "ori": "or", "asm": "as", "spa": "es",
        "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "ara": "ar", "por": "pt", "rus": "ru",
        "zho": "zh", "chi": "zh", "jpn": "ja", "ind": "id", "nep": "ne",
    ]

    /// Language names as OpenAI's verbose_json reports them (`"language": "english"`).
    private static let names: [String: String] = [
        "english": "en", "hindi": "hi", "bengali": "bn", "tamil": "ta", "telugu": "te", "kannada": "kn",
        "malayalam": "ml", "marathi": "mr", "gujarati": "gu", "punjabi": "pa", "urdu": "ur", "oriya": "or",
        "odia": "or", "assamese": "as", "nepali": "ne", "spanish": "es", "french": "fr", "german": "de",
        "arabic": "ar", "portuguese": "pt", "russian": "ru", "chinese": "zh", "japanese": "ja",
        "indonesian": "id", "italian": "it", "dutch": "nl", "korean": "ko", "turkish": "tr",
    ]
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
