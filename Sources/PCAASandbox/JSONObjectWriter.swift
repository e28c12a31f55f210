import PCAACore

/// Writes a flat JSON object with keys in insertion order, so the signed bytes read like Mcube's own payloads.
struct JSONObjectWriter {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: String) {
        fields.append("\(Self.quote(key)):\(Self.quote(value))")
    }

    mutating func add(_ key: String, _ value: Int) {
        fields.append("\(Self.quote(key)):\(value)")
    }

    var bytes: [UInt8] { Array(("{" + fields.joined(separator: ",") + "}").utf8) }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}
