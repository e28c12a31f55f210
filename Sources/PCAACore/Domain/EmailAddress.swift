/// A plain `local@domain` address check, strict enough to keep header injection and garbage out of `To:` lines:
/// printable ASCII without spaces, quotes, angle brackets or commas; one `@`; a dotted domain of letters, digits
/// and hyphens.
public enum EmailAddress {
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 254, text.allSatisfy({ $0.isASCII }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, local.count <= 64 else { return false }
        let forbidden: Set<Character> = [" ", "\"", "<", ">", ",", ";", ":", "(", ")", "[", "]", "\\", "\r", "\n", "\t"]
        guard local.allSatisfy({ !forbidden.contains($0) && $0.asciiValue.map { $0 > 32 && $0 < 127 } == true }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }
}
