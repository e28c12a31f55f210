/// One message handed to an SMTP server with ``CurlSMTPClient``: where, as whom, the envelope and the bytes.
public struct SMTPSubmission: Sendable {
    /// How the connection is protected.
    public enum Security: Sendable, Equatable {
        /// `smtps://`: TLS from the first byte (port 465).
        case implicitTLS
        /// `smtp://` upgraded with STARTTLS; the transfer fails if the server does not offer it.
        case requireSTARTTLS
        /// `smtp://` in the clear (loopback relays and tests only).
        case none
    }

    /// `smtp://host[:port]` or `smtps://host[:port]`.
    public var url: String
    public var security: Security
    /// AUTH credentials; nil = no AUTH.
    public var username: String?
    public var password: String?
    /// A PEM CA bundle used instead of the system's (a relay with a private certificate).
    public var caFile: String?
    /// The envelope sender (`MAIL FROM`).
    public var mailFrom: String
    /// Every envelope recipient (`RCPT TO`).
    public var recipients: [String]
    /// The RFC 5322 message with CRLF line endings (curl adds the dot-stuffing and the final `.`).
    public var message: [UInt8]
    /// Whole-submission timeout in seconds.
    public var timeout: Double
    /// Connection-phase timeout in seconds.
    public var connectTimeout: Double

    public init(url: String, security: Security, username: String? = nil, password: String? = nil, caFile: String? = nil,
                mailFrom: String, recipients: [String], message: [UInt8], timeout: Double = 30, connectTimeout: Double = 10) {
        self.url = url
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.mailFrom = mailFrom
        self.recipients = recipients
        self.message = message
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}
