/// One message to one recipient on one channel.
public struct OutboundMessage: Sendable, Equatable {
    public var channel: String
    public var recipient: String
    public var subject: String
    public var text: String
    /// Unique per (call, channel, recipient): a notifier must not deliver the same key twice.
    public var idempotencyKey: String
    public var bid: String
    public var callid: String?

    public init(channel: String, recipient: String, subject: String, text: String, idempotencyKey: String, bid: String, callid: String?) {
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.idempotencyKey = idempotencyKey
        self.bid = bid
        self.callid = callid
    }
}

/// What the channel said when it accepted a message.
public struct DeliveryReceipt: Sendable, Equatable {
    public var providerMessageID: String
    public init(providerMessageID: String) { self.providerMessageID = providerMessageID }
}

/// A delivery channel (outbox, email, WhatsApp). Throws `StageError`.
public protocol Notifier: Sendable {
    var name: String { get }
    func deliver(_ message: OutboundMessage) async throws -> DeliveryReceipt
}
