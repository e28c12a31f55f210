/// How a BID's (or the operators') messages leave the box, from `bid_config.notifier` / `[alerts] delivery`.
public enum DeliveryMode: String, Sendable {
    /// Every message is written to `<data_dir>/outbox/…` (`.eml` for e-mail, `.json` for WhatsApp); nothing is sent.
    case outbox
    /// E-mail over SMTP, WhatsApp through the Cloud API.
    case live
    /// Nothing is sent or written.
    case none

    /// `email` and `whatsapp` are older names for `live`; anything unknown is treated as `outbox` (nothing leaves).
    public init(setting: String) {
        switch setting {
        case "live", "email", "whatsapp": self = .live
        case "none": self = .none
        default: self = .outbox
        }
    }
}
