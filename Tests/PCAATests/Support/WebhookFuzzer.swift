import Foundation
import PCAACore
import PCAASandbox

/// Generates hostile `call.completed` requests from a seed: truncated JSON, wrong types, huge strings, deep
/// nesting, invalid UTF-8, NUL bytes, `../` and look-alikes in identifiers, out-of-range numbers, duplicate keys,
/// and missing, malformed or mis-cased signature headers.
struct WebhookFuzzer {
    struct Case {
        var body: [UInt8]
        var headers: [(name: String, value: String)]
        var kind: String
    }

    private var random: SeededGenerator
    let bid: String
    let secret: String

    init(seed: UInt64, bid: String, secret: String) {
        random = SeededGenerator(seed: seed)
        self.bid = bid
        self.secret = secret
    }

    static let hostileIdentifiers = [
        "../../etc/passwd", "..", "a/../b", "6004/..", "%2e%2e%2f", "\u{FF0E}\u{FF0E}/x", "1\u{2024}\u{2024}2", "６００４", "6004\u{202E}",
        "", " ", "a b", "x\\y", String(repeating: "9", count: 300), "\u{0}", "CON", ".hidden", "-rf",
    ]

    mutating func next(index: Int) -> Case {
        let callid = "fz\(index)"
        switch Int.random(in: 0..<12, using: &random) {
        case 0: return signed(Array(validJSON(callid: callid).utf8.prefix(Int.random(in: 0..<120, using: &random))), "truncated")
        case 1: return signed(Array(replacing(callid: callid, field: randomField(), with: randomWrongType()).utf8), "wrong_type")
        case 2:
            let size = [10_000, 200_000, 1_100_000].randomElement(using: &random)!
            return signed(Array(replacing(callid: callid, field: "agent_name", with: JSONText.quote(String(repeating: "x", count: size))).utf8), "huge_string")
        case 3:
            let depth = Int.random(in: 33...3000, using: &random)
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            return signed(Array(replacing(callid: callid, field: "group_name", with: nested).utf8), "deep_nesting")
        case 4:
            var bytes = Array(validJSON(callid: callid).utf8)
            let position = Int.random(in: 1..<bytes.count - 1, using: &random)
            bytes.insert(contentsOf: [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]].randomElement(using: &random)!, at: position)
            return signed(bytes, "invalid_utf8")
        case 5:
            var bytes = Array(validJSON(callid: callid).utf8)
            bytes.insert(0, at: Int.random(in: 0..<bytes.count, using: &random))
            return signed(bytes, "nul_byte")
        case 6:
            let field = Bool.random(using: &random) ? "bid" : "callid"
            let value = Self.hostileIdentifiers.randomElement(using: &random)!
            return signed(Array(replacing(callid: callid, field: field, with: JSONText.quote(value)).utf8), "hostile_identifier")
        case 7:
            let number = ["1e400", "-1", "1e20", "86401", "3.5", "-0", "99999999999999999999999"].randomElement(using: &random)!
            return signed(Array(replacing(callid: callid, field: "duration_seconds", with: number).utf8), "number_range")
        case 8:
            let json = validJSON(callid: callid).dropLast() + #","callid":"other\#(index)"}"#
            return signed(Array(json.utf8), "duplicate_key")
        case 9:
            let body = Array(validJSON(callid: callid).utf8)
            let headers: [(name: String, value: String)] = [
                [], [(WebhookSignature.headerName, "")], [(WebhookSignature.headerName, "not-hex-at-all")],
                [(WebhookSignature.headerName, String(repeating: "a", count: 64))],
                [(WebhookSignature.headerName, WebhookSignature.sign(body: body + [0x20], secret: secret))],
                [(WebhookSignature.headerName, String(WebhookSignature.sign(body: body, secret: secret).dropLast(2)))],
                [(WebhookSignature.headerName, WebhookSignature.sign(body: body, secret: "wrong-secret-for-this-bid"))],
            ].randomElement(using: &random)!
            return Case(body: body, headers: headers, kind: "bad_signature")
        case 10:
            let body = Array(validJSON(callid: callid).utf8)
            let signature = WebhookSignature.sign(body: body, secret: secret)
            let header = ["x-mcube-signature", "X-MCUBE-SIGNATURE", "X-Mcube-Signature"].randomElement(using: &random)!
            return Case(body: body, headers: [(header, Bool.random(using: &random) ? signature.uppercased() : signature)], kind: "valid_mixed_case")
        default:
            let garbage = (0..<Int.random(in: 0..<200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            return signed(garbage, "random_bytes")
        }
    }

    private func validJSON(callid: String) -> String {
        CallPayload(bid: bid, callid: callid, recordingURL: "http://127.0.0.1:9/r/\(callid).wav").json
    }

    private func replacing(callid: String, field: String, with raw: String) -> String {
        let object = validJSON(callid: callid)
        guard let range = object.range(of: "\"\(field)\":") else { return object }
        let valueStart = range.upperBound
        var end = valueStart
        if object[valueStart] == "\"" {
            end = object[object.index(after: valueStart)...].firstIndex(of: "\"").map { object.index(after: $0) } ?? object.endIndex
        } else {
            end = object[valueStart...].firstIndex(where: { $0 == "," || $0 == "}" }) ?? object.endIndex
        }
        return String(object[..<valueStart]) + raw + String(object[end...])
    }

    private mutating func randomField() -> String {
        ["bid", "callid", "duration_seconds", "call_status", "recording_url", "agent_email", "direction", "call_starttime"].randomElement(using: &random)!
    }

    private mutating func randomWrongType() -> String {
        ["123", "true", "null", "[]", "{}", #"{"a":1}"#, "[\"x\"]", "-7.5", "\"\""].randomElement(using: &random)!
    }

    private func signed(_ body: [UInt8], _ kind: String) -> Case {
        Case(body: body, headers: [(WebhookSignature.headerName, WebhookSignature.sign(body: body, secret: secret))], kind: kind)
    }
}
