/// A plain `local@domain` e-mail address: ASCII dot-atom local part (≤ 64 octets), a domain of letter/digit/hyphen
/// labels (≤ 253 octets). No display names, comments, quoted local parts or whitespace, so an address can go
/// into an SMTP envelope and a header unchanged.
public enum EmailAddress {
    private static let atomCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-")

    /// Whether `text` is such an address.
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        return isValidLocalPart(local) && isValidDomain(domain)
    }

    /// The part after the `@` (lowercased), or nil for an invalid address.
    public static func domain(of text: String) -> String? {
        guard isValid(text), let at = text.lastIndex(of: "@") else { return nil }
        return text[text.index(after: at)...].lowercased()
    }

    private static func isValidLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.utf8.count <= 64 else { return false }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        return atoms.allSatisfy { !$0.isEmpty && $0.allSatisfy(atomCharacters.contains) }
    }

    private static func isValidDomain(_ domain: Substring) -> Bool {
        guard !domain.isEmpty, domain.utf8.count <= 253 else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
