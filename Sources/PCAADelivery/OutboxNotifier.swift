import Foundation
import PCAACore

/// The default channel: one RFC 5322 `.eml` file per message under `<data>/outbox/<bid>/`, so an offline box shows
/// exactly what would have been sent. A message whose idempotency key was already written is not written again.
public struct OutboxNotifier: Notifier {
    public let name = "outbox"
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func deliver(_ message: OutboundMessage) async throws -> DeliveryReceipt {
        guard SafeIdentifier.isValidBID(message.bid) else {
            throw StageError.permanent("outbox_invalid_bid", "refusing to write an outbox file for an invalid BID")
        }
        let folder = directory + "/" + message.bid
        let key = Self.fileSafe(message.idempotencyKey)
        let isWhatsApp = message.channel == "whatsapp"
        let path = folder + "/" + key + (isWhatsApp ? ".json" : ".eml")
        if FileManager.default.fileExists(atPath: path) {
            return DeliveryReceipt(providerMessageID: "outbox:" + key)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // .atomic writes a temporary file and renames it: a reader never sees half a message.
            let content = isWhatsApp ? try Self.whatsAppJSON(message) : Data(Self.render(message).utf8)
            try content.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StageError.transient("outbox_write_failed", "cannot write \(path): \(error.localizedDescription)")
        }
        return DeliveryReceipt(providerMessageID: "outbox:" + key)
    }

    /// The Cloud API request that would be sent: the text message, and the template used outside the 24-hour window.
    static func whatsAppJSON(_ message: OutboundMessage) throws -> Data {
        struct Text: Encodable { let body: String }
        struct Body: Encodable {
            let messaging_product = "whatsapp"
            let to: String
            let type = "text"
            let text: Text
        }
        struct Template: Encodable {
            let name: String
            let language: String
            let body_parameters: [String]
        }
        struct File: Encodable {
            let request: Body
            let template_fallback: Template?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(File(
            request: Body(to: message.recipient, text: Text(body: String(message.text.prefix(4096)))),
            template_fallback: message.whatsAppTemplate.map { Template(name: $0.name, language: $0.language, body_parameters: $0.bodyParameters) }))
    }

    /// Letters, digits, `-`, `_` and `.` only (anything else becomes `_`), followed by a hash of the whole key so two
    /// keys that differ only in replaced characters never share a file.
    static func fileSafe(_ text: String) -> String {
        let mapped = text.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }
        let name = String(mapped).replacingOccurrences(of: "..", with: "__")
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 // FNV-1a
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(name.prefix(160)) + "-" + String(hash, radix: 16)
    }

    /// The message as the e-mail channel would build it (same headers, `multipart/alternative` text + HTML when
    /// there is HTML), but with 8-bit bodies so the file reads as plain text in any editor.
    static func render(_ message: OutboundMessage) -> String {
        let boundary = "=_pcaa_" + EmailMessageBuilder.randomBoundaryToken()
        var headers = [
            "Date: " + EmailMessageBuilder.rfc5322Date(Date(), timeZone: TimeZone(identifier: "Asia/Kolkata") ?? .gmt),
            EmailHeaders.mailbox("From", displayName: "pcaa", address: "pcaa@pcaa.local"),
            EmailHeaders.mailbox("To", displayName: message.recipientName, address: MIMEEncoding.headerSafe(message.recipient)),
            EmailHeaders.unstructured("Subject", message.subject),
            "Message-ID: <\(EmailMessageBuilder.messageID(idempotencyKey: message.idempotencyKey, domain: "pcaa.local"))>",
            "MIME-Version: 1.0",
            "X-PCAA-Channel: \(message.channel)",
        ]
        func crlf(_ text: String) -> String {
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        }
        guard let html = message.html else {
            headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
            return headers.joined(separator: "\r\n") + "\r\n\r\n" + crlf(message.text) + "\r\n"
        }
        headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        let parts = [("text/plain", message.text), ("text/html", html)].map { type, body in
            "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + crlf(body) + "\r\n"
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + parts.joined() + "--\(boundary)--\r\n"
    }
}
