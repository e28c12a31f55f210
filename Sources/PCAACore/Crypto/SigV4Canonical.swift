/// The canonical forms AWS Signature Version 4 hashes: URI, query string and headers.
public enum SigV4Canonical {
    // MARK: URI

    /// The canonical URI of a request path as sent on the wire.
    ///
    /// - `doubleEncode` (every service but S3): each segment is URI-encoded as it stands, so an escape already in
    ///   the path is encoded again (`%3A` becomes `%253A`).
    /// - otherwise (S3): each segment is decoded, then encoded once, so the canonical URI is encoded exactly once.
    /// - `normalize` removes empty, `.` and `..` segments (not for S3, whose keys may contain them).
    public static func uri(_ path: String, doubleEncode: Bool, normalize: Bool) -> String {
        let raw = path.isEmpty ? "/" : path
        var segments = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.first == "" { segments.removeFirst() }
        let trailingSlash = raw.hasSuffix("/") && raw != "/"
        if normalize {
            var kept: [String] = []
            for segment in segments {
                switch segment {
                case "", ".": continue
                case "..": _ = kept.popLast()
                default: kept.append(segment)
                }
            }
            segments = kept
        } else if raw.hasSuffix("/"), segments.last == "" {
            segments.removeLast()
        }
        let encoded = segments.map { doubleEncode ? encode($0) : encode(percentDecoded($0)) }
        var result = "/" + encoded.joined(separator: "/")
        if trailingSlash && !encoded.isEmpty { result += "/" }
        return result
    }

    // MARK: Query

    /// The canonical query: every `name=value` pair decoded, re-encoded, sorted by name then value.
    public static func query(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = encode(percentDecoded(String(parts[0])))
            let value = parts.count > 1 ? encode(percentDecoded(String(parts[1]))) : ""
            return (name, value)
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    // MARK: Headers

    /// Canonical headers (`name:value\n` each, names lower-cased and sorted, values trimmed with runs of spaces
    /// collapsed, repeated names joined with commas) and the `;`-joined signed header names.
    public static func headers(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            merged[name.lowercased(), default: []].append(collapsed(value))
        }
        let names = merged.keys.sorted()
        let canonical = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// `value` trimmed, with every run of whitespace inside it replaced by one space.
    static func collapsed(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in value {
            if character == " " || character == "\t" || character.isNewline {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(character)
            }
        }
        return out
    }

    // MARK: Encoding

    /// RFC 3986 encoding as SigV4 defines it: unreserved characters (`A-Z a-z 0-9 - _ . ~`) kept, every other
    /// UTF-8 byte as `%XY` with upper-case hex.
    public static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` with `%XY` escapes decoded (malformed escapes kept as they are).
    public static func percentDecoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = WebhookSignature.nibble(bytes[index + 1]), let low = WebhookSignature.nibble(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
