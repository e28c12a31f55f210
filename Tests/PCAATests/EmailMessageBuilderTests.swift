import Foundation
@testable import PCAADelivery
import Testing

/// The RFC 5322 builder on its own: encodings, folding, line limits, injection attempts, stable Message-IDs.
@Suite struct EmailMessageBuilderTests {
    static func builder(subject: String = "Call report", text: String = "Hello", html: String? = nil, toName: String? = "Priya",
                        fromName: String? = "pcaa", toAddress: String = "priya@example.com") -> EmailMessageBuilder {
        EmailMessageBuilder(fromAddress: "reports@pcaa.example", fromName: fromName, toAddress: toAddress, toName: toName,
                            subject: subject, text: text, html: html, messageID: "pcaa.0123@pcaa.example",
                            date: Date(timeIntervalSince1970: 1_773_300_000), timeZone: TimeZone(identifier: "Asia/Kolkata")!,
                            boundaryToken: "0123456789abcdef01234567")
    }

    static func lines(_ message: String) -> [Substring] {
        message.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring(String(decoding: $0, as: UTF8.self)) }
    }

    /// The header block, unfolded (continuation lines joined), as name → value.
    static func headers(_ message: String) -> [(String, String)] {
        let head = message.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        return head.components(separatedBy: "\r\n").map { line in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
    }

    /// Decodes a run of `=?UTF-8?B?…?=` words separated by folding whitespace.
    static func decodeWords(_ value: String) -> String? {
        var bytes: [UInt8] = []
        for word in value.split(separator: " ") {
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="), word.count <= 75,
                  let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) else { return nil }
            bytes += data
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    @Test func crlfEverywhereAndTheRequiredHeaders() {
        let message = Self.builder(html: "<p>Hi</p>").render()
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(message.hasSuffix("\r\n"))
        let names = Self.headers(message).map(\.0)
        for required in ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type"] {
            #expect(names.filter { $0 == required }.count == 1, "\(required)")
        }
        let date = Self.headers(message).first { $0.0 == "Date" }!.1
        #expect(date == "Thu, 12 Mar 2026 12:50:00 +0530")
        #expect(Self.headers(message).first { $0.0 == "From" }!.1 == "\"pcaa\" <reports@pcaa.example>")
        #expect(Self.headers(message).first { $0.0 == "Content-Type" }!.1 == "multipart/alternative; boundary=\"=_pcaa_0123456789abcdef01234567\"")
        // text/plain comes first, then text/html, then the close delimiter.
        let plain = message.range(of: "Content-Type: text/plain")!, html = message.range(of: "Content-Type: text/html")!
        #expect(plain.lowerBound < html.lowerBound)
        #expect(message.hasSuffix("--=_pcaa_0123456789abcdef01234567--\r\n"))
    }

    @Test func nonASCIISubjectsAndNamesBecomeShortEncodedWordsThatDecodeBack() {
        let subject = String(repeating: "कॉल रिपोर्ट — स्कोर 82/100 ✅ 👨‍👩‍👧 ", count: 6)
        let name = "प्रिया शर्मा \"the best\" 👋"
        let message = Self.builder(subject: subject, toName: name).render()
        for line in Self.lines(message) { #expect(line.utf8.count <= 78 + 1, "\(line)") }
        let headers = Self.headers(message)
        let encodedSubject = headers.first { $0.0 == "Subject" }!.1
        #expect(Self.decodeWords(encodedSubject) == subject.trimmingCharacters(in: .whitespaces))
        let to = headers.first { $0.0 == "To" }!.1
        #expect(to.hasSuffix(" <priya@example.com>"))
        #expect(Self.decodeWords(String(to.dropLast(" <priya@example.com>".count))) == name)
        #expect(message.utf8.allSatisfy { $0 < 0x80 })
    }

    @Test func longASCIISubjectsFoldAtSpaces() {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let message = Self.builder(subject: subject).render()
        let subjectLines = message.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 1)
        #expect(subjectLines.allSatisfy { $0.utf8.count <= 78 })
        #expect(Self.headers(message).first { $0.0 == "Subject" }!.1 == subject)
        // One enormous word cannot be folded: it is encoded instead, still within the limits.
        let giant = String(repeating: "x", count: 2000)
        let encoded = Self.builder(subject: giant).render()
        #expect(Self.lines(encoded).allSatisfy { $0.utf8.count <= 998 })
        #expect(Self.decodeWords(Self.headers(encoded).first { $0.0 == "Subject" }!.1) == giant)
    }

    @Test func headerInjectionIsImpossible() {
        let message = Self.builder(subject: "Report\r\nBcc: victim@example.com\nX-Evil: 1", text: "body",
                                   toName: "Priya\r\nBcc: victim@example.com", fromName: "pcaa\"\r\nReply-To: evil@example.com").render()
        let names = Self.headers(message).map(\.0)
        #expect(!names.contains("Bcc"))
        #expect(!names.contains("X-Evil"))
        #expect(!names.contains("Reply-To"))
        #expect(Self.headers(message).first { $0.0 == "Subject" }!.1 == "Report Bcc: victim@example.com X-Evil: 1")
        #expect(Self.headers(message).first { $0.0 == "From" }!.1 == #""pcaa\" Reply-To: evil@example.com" <reports@pcaa.example>"#)
        // Text that merely looks like an encoded-word is encoded, so it reads back literally.
        let lookalike = Self.builder(subject: "=?UTF-8?B?SGFja2Vk?=").render()
        #expect(Self.decodeWords(Self.headers(lookalike).first { $0.0 == "Subject" }!.1) == "=?UTF-8?B?SGFja2Vk?=")
    }

    @Test func bodiesAreQuotedPrintableWithShortLines() {
        let text = String(repeating: "é", count: 3000) + "\n" + String(repeating: "a", count: 5000) + "   \nx = y\t\n.dot\r\nend"
        let message = Self.builder(text: text, html: "<p>" + String(repeating: "<b>ok</b>", count: 500) + "</p>").render()
        for line in Self.lines(message) { #expect(line.utf8.count <= 78, "\(line.prefix(90))") }
        #expect(message.utf8.allSatisfy { $0 < 0x80 })
        let body = message.components(separatedBy: "\r\n\r\n")[2]
        #expect(body.contains("x =3D y=09\r\n"))
        #expect(body.contains("   =20") || body.contains("=20\r\n"))
        #expect(body.contains("\r\n=2Edot\r\n"))
        #expect(Self.decodeQuotedPrintable(body.components(separatedBy: "\r\n--=_pcaa_")[0]) == text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func theBoundaryCannotOccurInTheBodies() {
        let hostile = "--=_pcaa_0123456789abcdef01234567\n--=_pcaa_0123456789abcdef01234567--"
        let message = Self.builder(text: hostile, html: hostile).render()
        // Only the three real delimiter lines contain the boundary.
        #expect(message.components(separatedBy: "=_pcaa_0123456789abcdef01234567").count - 1 == 4) // header + 3 delimiters
    }

    @Test func messageIDsAreStablePerKeyAndHideTheKey() {
        let first = EmailMessageBuilder.messageID(idempotencyKey: "6004:c1:email:priya@example.com", domain: "pcaa.example")
        #expect(first == EmailMessageBuilder.messageID(idempotencyKey: "6004:c1:email:priya@example.com", domain: "pcaa.example"))
        #expect(first != EmailMessageBuilder.messageID(idempotencyKey: "6004:c2:email:priya@example.com", domain: "pcaa.example"))
        #expect(first.hasPrefix("pcaa.") && first.hasSuffix("@pcaa.example"))
        #expect(!first.contains("priya"))
        #expect(EmailMessageBuilder.randomBoundaryToken() != EmailMessageBuilder.randomBoundaryToken())
        #expect(EmailMessageBuilder.randomBoundaryToken().count == 24)
    }

    /// A minimal quoted-printable decoder for the checks above (soft breaks, =XX).
    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
               let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
