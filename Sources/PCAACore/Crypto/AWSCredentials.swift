/// An AWS access key pair, with the session token of temporary credentials. Never printed: `description` hides
/// everything but the key id's first four characters.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Set for temporary (STS) credentials; sent as `X-Amz-Security-Token`.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var description: String { "AWSCredentials(\(accessKeyID.prefix(4))…, secret: [redacted])" }

    /// The values that must never appear in a log line, an error or a stored result.
    public var secrets: [String] { [secretAccessKey, sessionToken].compactMap { $0 }.filter { !$0.isEmpty } }
}
