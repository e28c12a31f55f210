/// Validates `bid` and `callid` values before they are used in SQL, file paths or object keys.
/// ASCII only: letters, digits, `_`, `-`, and for call ids `.` (Asterisk-style `1773212620.123`),
/// never leading with a dot and never containing `..`, so no value can name a parent directory.
public enum SafeIdentifier {
    public static let maxBIDLength = 32
    public static let maxCallIDLength = 128

    /// The reason `value` is not a valid BID, or nil when it is.
    public static func bidProblem(_ value: String) -> String? {
        problem(value, maxLength: maxBIDLength, allowDot: false)
    }

    /// The reason `value` is not a valid call id, or nil when it is.
    public static func callIDProblem(_ value: String) -> String? {
        problem(value, maxLength: maxCallIDLength, allowDot: true)
    }

    public static func isValidBID(_ value: String) -> Bool { bidProblem(value) == nil }
    public static func isValidCallID(_ value: String) -> Bool { callIDProblem(value) == nil }

    private static func problem(_ value: String, maxLength: Int, allowDot: Bool) -> String? {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else { return "must not be empty" }
        guard bytes.count <= maxLength else { return "longer than \(maxLength) characters" }
        var previous: UInt8 = 0
        for (position, byte) in bytes.enumerated() {
            let alphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            let allowed = alphanumeric || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || (allowDot && byte == UInt8(ascii: "."))
            guard allowed else {
                return allowDot
                    ? "may contain only ASCII letters, digits, '_', '-' and '.'"
                    : "may contain only ASCII letters, digits, '_' and '-'"
            }
            if position == 0 && !alphanumeric { return "must start with a letter or digit" }
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return "must not contain '..'" }
            previous = byte
        }
        return nil
    }
}
