import CCurl

/// Why an SMTP submission failed: the libcurl result and, when the server answered, its last reply.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it was, independent of curl's numbering.
    public enum Reason: Sendable, Equatable {
        /// The server could not be resolved or reached, or the connection broke.
        case connectionFailed
        case timedOut
        /// The server refused a command (`replyCode` says which: 4xx temporary, 5xx permanent).
        case rejected
        /// AUTH was refused (usually 535).
        case authenticationFailed
        /// STARTTLS was required but the server does not offer it.
        case startTLSUnavailable
        /// The TLS handshake or the certificate check failed.
        case tlsFailed
        /// The URL or an option was refused by curl (configuration problem).
        case invalidConfiguration
        /// The message could not be read into the upload.
        case other
    }

    public let reason: Reason
    /// The last SMTP reply code received (0 when the server said nothing).
    public let replyCode: Int
    /// The last reply line, e.g. `550 5.1.1 <x@example.com>: Recipient address rejected`, if any.
    public let replyText: String?
    /// curl's explanation (never contains the password: callers also redact it).
    public let message: String
    /// The libcurl result code.
    public let curlCode: Int32

    public init(reason: Reason, replyCode: Int, replyText: String?, message: String, curlCode: Int32) {
        self.reason = reason
        self.replyCode = replyCode
        self.replyText = replyText
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String {
        var text = "SMTP \(reason): \(message)"
        if let replyText, !replyText.isEmpty { text += " (server: \(replyText))" }
        return text
    }

    /// Classifies a failed `curl_easy_perform`.
    static func from(code: CURLcode, replyCode: Int, replyText: String?, message: String) -> SMTPError {
        let reason: Reason
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            reason = .timedOut
        case CURLE_LOGIN_DENIED:
            reason = .authenticationFailed
        case CURLE_USE_SSL_FAILED:
            reason = .startTLSUnavailable
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            reason = .tlsFailed
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_NOT_BUILT_IN:
            reason = .invalidConfiguration
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
             CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE, CURLE_UPLOAD_FAILED:
            // A refused command surfaces as a send error or a weird reply; the reply code tells them apart.
            reason = replyCode >= 400 ? .rejected : .connectionFailed
        default:
            reason = replyCode >= 400 ? .rejected : .other
        }
        return SMTPError(reason: reason, replyCode: replyCode, replyText: replyText, message: message,
                         curlCode: Int32(bitPattern: code.rawValue))
    }
}
