import Foundation
import PCAACore
import PCAASandbox
import Testing

@Suite struct SignatureTests {
    /// GitHub's published HMAC example, the same construction as X-Mcube-Signature (PROVIDERS.md).
    @Test func matchesThePublishedVector() {
        let body = Array("Hello, World!".utf8)
        let signature = WebhookSignature.sign(body: body, secret: "It's a Secret to Everybody")
        #expect(signature == "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        #expect(WebhookSignature.isValid(header: signature.uppercased(), body: body, secrets: ["It's a Secret to Everybody"]))
        #expect(WebhookSignature.isValid(header: "sha256=" + signature, body: body, secrets: ["other", "It's a Secret to Everybody"]))
    }

    @Test func refusesWhatIsNotTheSignature() {
        let body = Array("Hello, World!".utf8)
        let signature = WebhookSignature.sign(body: body, secret: "k")
        for header in [nil, "", "abc", String(signature.dropLast()), signature + "00", String(repeating: "g", count: 64)] as [String?] {
            #expect(!WebhookSignature.isValid(header: header, body: body, secrets: ["k"]))
        }
        #expect(!WebhookSignature.isValid(header: signature, body: body, secrets: [""]), "an empty secret verifies nothing")
        #expect(!WebhookSignature.isValid(header: signature, body: body + [0x20], secrets: ["k"]))
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equal("token-123", "token-123"))
        #expect(!ConstantTime.equal("token-123", "token-124"))
        #expect(!ConstantTime.equal("token", "token-123"))
    }
}

@Suite struct StrictJSONTests {
    func parse(_ text: String) throws -> JSONValue { try StrictJSON.parse(Array(text.utf8)) }

    @Test func parsesOrdinaryDocuments() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, null, "x\u00e9\ud83d\ude00\n"], "b": {}} "#)
        #expect(value["a"] == .array([.number(1), .number(-2500), .bool(true), .null, .string("xé😀\n")]))
        #expect(value["b"] == .object([:]))
    }

    @Test func refusesWhatLenientParsersAccept() {
        let refused = [
            #"{"a":1,"a":2}"#, #"{"a":1,}"#, "[1,]", "01", "1.", "+1", #"{"a":"\x"}"#, #""\ud800""#, "nul", #"{"a":1} x"#,
            "{\"a\":\"tab\there\"}", "1e999", String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "",
        ]
        for text in refused {
            #expect(throws: StrictJSON.ParseError.self, "\(text.debugDescription)") { try parse(text) }
        }
        for bytes in [[0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF8, 0x22], [0x22, 0xE2, 0x82]] as [[UInt8]] {
            #expect(throws: StrictJSON.ParseError.self) { try StrictJSON.parse(bytes) }
        }
    }
}

@Suite struct SafeIdentifierTests {
    @Test func acceptsMcubeStyleIdentifiers() {
        #expect(SafeIdentifier.isValidBID("6004") && SafeIdentifier.isValidBID("acme_presales-2"))
        #expect(SafeIdentifier.isValidCallID("97393902541773212620") && SafeIdentifier.isValidCallID("1773212620.12345"))
    }

    @Test func refusesAnythingThatCouldLeaveADirectory() {
        for bid in ["", "../x", "a/b", ".hidden", "a.b", "a b", "é", "6004\u{0}", String(repeating: "1", count: 33), "-x"] {
            #expect(!SafeIdentifier.isValidBID(bid), "\(bid.debugDescription)")
        }
        for callid in ["..", "a..b", ".x", "a/b", "a\\b", "x\u{2024}\u{2024}", "１２３", "a%2e%2e", String(repeating: "1", count: 129)] {
            #expect(!SafeIdentifier.isValidCallID(callid), "\(callid.debugDescription)")
        }
    }
}

@Suite struct TimestampTests {
    @Test func printsLikeFoundationsISO8601Formatter() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var random = SeededGenerator(seed: 8601)
        for _ in 0..<2000 {
            // Whole milliseconds between 1970 and 2100, where both agree exactly.
            let millis = Double(random.next() % 4_102_444_800_000)
            let date = Date(timeIntervalSince1970: millis / 1000)
            #expect(Timestamp.iso8601(date) == reference.string(from: date))
        }
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }

    @Test func parsesISOAndMcubeNativeTimes() throws {
        let utc = try #require(Timestamp.parse("2026-03-11T12:33:40Z"))
        #expect(Timestamp.parse("2026-03-11T18:03:40+05:30") == utc)
        #expect(Timestamp.parse("2026-03-11 18:03:40") == utc, "Mcube's native format is IST")
        #expect(Timestamp.parse("2026-03-11T12:33:40.250Z") == utc.addingTimeInterval(0.25))
        for bad in ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "yesterday", "2026-03-11T12:33:40+5:30", "2026-03-11T12:33:40Zjunk"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct RetryPolicyTests {
    @Test func backoffDoublesWithinTheCapAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 5, baseSeconds: 2, maxSeconds: 10, jitter: 0.5)
        #expect(policy.delay(afterAttempt: 1, random: 0) == 2)
        #expect(policy.delay(afterAttempt: 2, random: 0) == 4)
        #expect(policy.delay(afterAttempt: 4, random: 0) == 10)
        #expect(policy.delay(afterAttempt: 1, random: 1) == 3)
        #expect(policy.delay(afterAttempt: 1, random: -1) == 1)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 7, random: 0) == 7)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 999, random: 0) == 10, "Retry-After is capped too")
    }
}

@Suite struct CallEventValidationTests {
    @Test func durationCanComeFromStartAndEnd() throws {
        let json = try StrictJSON.parse(Array(#"{"bid":"6004","callid":"1","call_status":"answer","call_starttime":"2026-03-11T12:33:40Z","call_endtime":"2026-03-11T12:50:36Z","recording_url":"https://r.example/1.wav"}"#.utf8))
        let event = try CallCompletedEvent.validate(json)
        #expect(event.durationSeconds == 1016)
        #expect(event.callStatus == "ANSWER")
    }

    @Test func answeredCallsNeedARecording() throws {
        let json = try StrictJSON.parse(Array(#"{"bid":"6004","callid":"1","call_status":"ANSWER","duration_seconds":30}"#.utf8))
        #expect(throws: ValidationErrors([FieldError(field: "recording_url", reason: "is required for an answered call")])) {
            try CallCompletedEvent.validate(json)
        }
    }
}
