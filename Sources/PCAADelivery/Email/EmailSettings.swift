import PCAACore
import PCAANet

/// How the `email` notifier reaches its SMTP server (from `[email]`).
public struct EmailSettings: Sendable, CustomStringConvertible {
    /// `smtp://host:587`, `smtps://host:465`, or plain `smtp://host:25` with `startTLS` false.
    public var smtpURL: String
    public var username: String
    public var password: String
    public var fromAddress: String
    public var fromName: String
    /// false allows a plain `smtp://` session (loopback relays, tests); `smtp://` otherwise requires STARTTLS.
    public var startTLS: Bool
    public var caFile: String
    public var timeout: Double

    public init(smtpURL: String, username: String = "", password: String = "", fromAddress: String, fromName: String = "pcaa",
                startTLS: Bool = true, caFile: String = "", timeout: Double = 30) {
        self.smtpURL = smtpURL
        self.username = username
        self.password = password
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.startTLS = startTLS
        self.caFile = caFile
        self.timeout = timeout
    }

    /// From `[email]`; nil while a required key is missing (see `PCAAConfig.Email.missingKey`).
    public init?(config: PCAAConfig.Email) {
        guard config.missingKey == nil else { return nil }
        self.init(smtpURL: config.smtpURL, username: config.username, password: config.password, fromAddress: config.fromAddress,
                  fromName: config.fromName, startTLS: config.startTLS, caFile: config.caFile, timeout: Double(config.timeoutSeconds))
    }

    /// `smtps://` is implicit TLS; `smtp://` requires STARTTLS unless it was switched off.
    var security: SMTPSubmission.Security {
        if smtpURL.lowercased().hasPrefix("smtps://") { return .implicitTLS }
        return startTLS ? .requireSTARTTLS : .none
    }

    public var description: String {
        "EmailSettings(smtpURL: \(smtpURL), username: \(username), password: \(password.isEmpty ? "(none)" : "[redacted]"), "
            + "from: \(fromAddress), startTLS: \(startTLS))"
    }
}
