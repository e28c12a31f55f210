/// One message to one recipient on one channel.
public struct OutboundMessage: Sendable, Equatable {
    /// `outbox`, `email` or `whatsapp`.
    public var channel: String
    /// An e-mail address (email, outbox) or a phone number in international form without `+` (whatsapp).
    public var recipient: String
    /// The recipient's display name, for the `To:` header (may be non-ASCII).
    public var recipientName: String?
    public var subject: String
    /// The plain-text body (also the WhatsApp text).
    public var text: String
    /// The HTML alternative for e-mail (multipart/alternative with `text`); nil sends text only.
    public var html: String?
    /// The approved WhatsApp template to use when a free-form text is refused outside the 24-hour window.
    public var whatsAppTemplate: WhatsAppTemplate?
    /// Unique per (call, channel, recipient): a notifier must not deliver the same key twice.
    public var idempotencyKey: String
    public var bid: String
    public var callid: String?

    public init(channel: String, recipient: String, recipientName: String? = nil, subject: String, text: String, html: String? = nil,
                whatsAppTemplate: WhatsAppTemplate? = nil, idempotencyKey: String, bid: String, callid: String?) {
        self.channel = channel
        self.recipient = recipient
        self.recipientName = recipientName
        self.subject = subject
        self.text = text
        self.html = html
        self.whatsAppTemplate = whatsAppTemplate
        self.idempotencyKey = idempotencyKey
        self.bid = bid
        self.callid = callid
    }
}

/// An approved WhatsApp message template and the values of its body placeholders ({{1}}, {{2}}, …), in order.
public struct WhatsAppTemplate: Sendable, Equatable {
    public var name: String
    /// The template's language code, e.g. `en`.
    public var language: String
    public var bodyParameters: [String]

    public init(name: String, language: String, bodyParameters: [String]) {
        self.name = name
        self.language = language
        self.bodyParameters = bodyParameters
    }
}

/// What the channel said when it accepted a message.
public struct DeliveryReceipt: Sendable, Equatable {
    public var providerMessageID: String
    /// A note for the delivery log, e.g. `template_fallback` when WhatsApp refused free text outside the window.
    public var detail: String?
    public init(providerMessageID: String, detail: String? = nil) {
        self.providerMessageID = providerMessageID
        self.detail = detail
    }
}

/// A delivery channel (outbox, email, WhatsApp). Throws `StageError`: transient when a retry may help (timeouts,
/// rate limits, 4xx SMTP replies, 5xx HTTP), permanent otherwise (bad credentials, refused recipient, bad template).
public protocol Notifier: Sendable {
    var name: String { get }
    func deliver(_ message: OutboundMessage) async throws -> DeliveryReceipt
}
