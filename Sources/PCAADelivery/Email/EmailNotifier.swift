import Foundation
import PCAACore
import PCAANet

/// The `email` channel: each message is built as RFC 5322 (``EmailMessageBuilder``) and submitted over SMTP with
/// libcurl (STARTTLS required on `smtp://`, implicit TLS on `smtps://`). The receipt's id is the `Message-ID`,
/// which the idempotency key determines, so a resend carries the same id.
public struct EmailNotifier: Notifier, CustomStringConvertible {
    public let name = "email"
    public let settings: EmailSettings
    private let client = CurlSMTPClient()
    private let clock: @Sendable () -> Date

    public init(settings: EmailSettings, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.clock = clock
    }

    public var description: String { "EmailNotifier(\(settings))" }

    public func deliver(_ message: OutboundMessage) async throws -> DeliveryReceipt {
        let recipient = message.recipient.trimmingCharacters(in: .whitespaces)
        guard EmailAddress.isValid(recipient) else {
            throw StageError.permanent("email_invalid_recipient", "email: \"\(MIMEEncoding.headerSafe(message.recipient).prefix(100))\" is not an e-mail address")
        }
        guard let domain = EmailAddress.domain(of: settings.fromAddress) else {
            throw StageError.permanent("email_bad_config", "email: email.from_address \"\(settings.fromAddress)\" is not an e-mail address")
        }
        let messageID = EmailMessageBuilder.messageID(idempotencyKey: message.idempotencyKey, domain: domain)
        let builder = EmailMessageBuilder(
            fromAddress: settings.fromAddress, fromName: settings.fromName, toAddress: recipient, toName: message.recipientName,
            subject: message.subject, text: message.text, html: message.html, messageID: messageID, date: clock(),
            boundaryToken: EmailMessageBuilder.randomBoundaryToken())
        let submission = SMTPSubmission(
            url: settings.smtpURL, security: settings.security,
            username: settings.username.isEmpty ? nil : settings.username, password: settings.password,
            caFile: settings.caFile.isEmpty ? nil : settings.caFile, mailFrom: settings.fromAddress, recipients: [recipient],
            message: Array(builder.render().utf8), timeout: settings.timeout, connectTimeout: min(10, settings.timeout))
        do {
            _ = try await client.send(submission)
        } catch let failure as SMTPError {
            throw SMTPErrorMapper(password: settings.password).error(failure)
        }
        return DeliveryReceipt(providerMessageID: "<\(messageID)>")
    }
}
