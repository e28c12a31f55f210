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
        let path = folder + "/" + key + ".eml"
        if FileManager.default.fileExists(atPath: path) {
            return DeliveryReceipt(providerMessageID: "outbox:" + key)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // .atomic writes a temporary file and renames it: a reader never sees half a message.
            try Data(Self.render(message, key: key).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StageError.transient("outbox_write_failed", "cannot write \(path): \(error.localizedDescription)")
        }
        return DeliveryReceipt(providerMessageID: "outbox:" + key)
    }

    /// Letters, digits, `-`, `_` and `.` only; anything else becomes `_`.
    static func fileSafe(_ text: String) -> String {
        let mapped = text.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }
        let name = String(mapped).replacingOccurrences(of: "..", with: "__")
        return String(name.prefix(180))
    }

    static func render(_ message: OutboundMessage, key: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = message.subject.allSatisfy(\.isASCII)
            ? message.subject
            : "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let headers = [
            "Date: \(formatter.string(from: Date()))",
            "From: pcaa <pcaa@localhost>",
            "To: \(message.recipient)",
            "Subject: \(subject)",
            "Message-ID: <\(key)@pcaa.local>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "X-PCAA-Channel: \(message.channel)",
        ]
        let body = message.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n"
    }
}
