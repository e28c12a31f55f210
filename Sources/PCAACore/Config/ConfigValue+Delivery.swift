/// Value checks of the `[email]` and `[whatsapp]` sections.

/// An `smtp://` or `smtps://` URL without credentials in it (they belong in `username`/`password`); empty = unset.
func smtpURL(_ value: ConfigValue) throws(ConfigReason) -> String {
    let url = try value.asString()
    if url.isEmpty { return url }
    let lowered = url.lowercased()
    guard lowered.hasPrefix("smtp://") || lowered.hasPrefix("smtps://") else {
        throw ConfigReason("must be smtp://host:587 (STARTTLS) or smtps://host:465 (implicit TLS)")
    }
    let authority = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first ?? ""
    guard !authority.isEmpty else { throw ConfigReason("names no host") }
    guard !authority.contains("@") else { throw ConfigReason("must not contain credentials: set email.username and email.password") }
    guard !url.contains(where: { $0.isWhitespace || $0.isNewline }) else { throw ConfigReason("must not contain spaces") }
    return url
}

/// A string on one line (header values, credentials): CR and LF are refused.
func singleLine(_ value: ConfigValue) throws(ConfigReason) -> String {
    let text = try value.asString()
    guard !text.contains(where: \.isNewline) else { throw ConfigReason("must be on one line") }
    return text
}

/// `0`-`9` only.
func isASCIIDigit(_ character: Character) -> Bool {
    character.isASCII && character.isNumber
}
