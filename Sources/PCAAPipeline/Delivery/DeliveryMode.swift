import PCAAStore

/// How a BID's (or the operators') messages leave the box, from `bid_config.notifier` / `[alerts] delivery`.
public enum DeliveryMode: String, Sendable {
    /// Every message is written to `<data_dir>/outbox/…` (`.eml` for e-mail, `.json` for WhatsApp); nothing is sent.
    case outbox
    /// E-mail over SMTP, WhatsApp through the Cloud API.
    case live
    /// Nothing is sent or written.
    case none

    /// `email` and `whatsapp` mean `live` on that one channel (see ``onlyChannel(setting:)``); anything unknown is
    /// treated as `outbox` (nothing leaves).
    public init(setting: String) {
        switch setting {
        case "live", "email", "whatsapp": self = .live
        case "none": self = .none
        default: self = .outbox
        }
    }

    /// `bid_config.notifier = "email"` or `"whatsapp"` sends every message of the BID on that channel, whatever
    /// channel its `notification_config` rows name; nil lets the rows decide.
    public static func onlyChannel(setting: String) -> String? {
        setting == "email" || setting == "whatsapp" ? setting : nil
    }

    /// The channels a notification row sends on under a BID's notifier setting.
    public static func channels(of config: NotificationConfig, setting: String) -> [String] {
        guard let only = onlyChannel(setting: setting) else { return config.channels }
        return config.channel == .none ? [] : [only]
    }
}
