import Foundation
import PCAACore

/// Builds the RFC 5322 message of one e-mail notification: CRLF line endings, `Date`, `From`, `To`, `Subject`,
/// a `Message-ID` derived from the idempotency key (a resend has the same id), and a UTF-8 quoted-printable body:
/// text only, or `multipart/alternative` with text/plain then text/html. Pure: no I/O, no clock, no randomness
/// except the injected boundary.
struct EmailMessageBuilder: Sendable {
    var fromAddress: String
    var fromName: String?
    var toAddress: String
    var toName: String?
    var subject: String
    var text: String
    var html: String?
    /// Without the angle brackets: `local@domain`.
    var messageID: String
    var date: Date
    var timeZone: TimeZone = TimeZone(identifier: "Asia/Kolkata") ?? .gmt
    /// Random part of the multipart boundary; the boundary is `=_pcaa_<token>`.
    var boundaryToken: String

    /// The whole message, ending in CRLF.
    func render() -> String {
        var headers = [
            "Date: " + Self.rfc5322Date(date, timeZone: timeZone),
            EmailHeaders.mailbox("From", displayName: fromName, address: fromAddress),
            EmailHeaders.mailbox("To", displayName: toName, address: toAddress),
            EmailHeaders.unstructured("Subject", subject),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        let textPart = MIMEEncoding.quotedPrintable(text)
        guard let html else {
            headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
            return headers.joined(separator: "\r\n") + "\r\n\r\n" + textPart + "\r\n"
        }
        let htmlPart = MIMEEncoding.quotedPrintable(html)
        let boundary = "=_pcaa_" + boundaryToken
        headers.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
        let body = [
            "This is a multi-part message in MIME format.",
            "--" + boundary,
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            textPart,
            "--" + boundary,
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            htmlPart,
            "--" + boundary + "--",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: Pieces

    /// `Thu, 12 Mar 2026 10:15:00 +0530`.
    static func rfc5322Date(_ date: Date, timeZone: TimeZone) -> String {
        let local = LocalClock(date, timeZone)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = abs(local.offsetSeconds) / 60
        return "\(days[local.weekday]), \(local.two(local.day)) \(months[local.month - 1]) \(local.year) "
            + "\(local.two(local.hour)):\(local.two(local.minute)):\(local.two(local.second)) "
            + (local.offsetSeconds < 0 ? "-" : "+") + local.two(offset / 60) + local.two(offset % 60)
    }

    /// `pcaa.<32 hex>@<domain>`: the same idempotency key always gives the same id, and the key itself (which may
    /// hold a phone number or an address) is not readable from it.
    static func messageID(idempotencyKey: String, domain: String) -> String {
        let digest = WebhookSignature.hmacSHA256(key: Array("pcaa-message-id".utf8), message: Array(idempotencyKey.utf8))
        return "pcaa." + WebhookSignature.hex(digest).prefix(32) + "@" + domain
    }

    /// 24 random hex digits for a boundary.
    static func randomBoundaryToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<3).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined().prefix(24).description
    }
}
