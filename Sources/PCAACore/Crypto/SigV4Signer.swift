import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for the `Authorization` header, written here and tested against
/// AWS's published signing test suite and the S3 worked examples.
///
/// Services differ in one respect that breaks signatures when missed: every service but S3 encodes the path twice
/// in the canonical URI (`:` sent as `%3A` is signed as `%253A`), while S3 encodes it once and needs the
/// `x-amz-content-sha256` header. Both are options, defaulting by service name.
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String
    /// Encode the (already encoded) path again for the canonical URI. Default: every service but `s3`.
    public var doubleEncodePath: Bool
    /// Remove empty, `.` and `..` path segments before encoding. Default: every service but `s3`.
    public var normalizePath: Bool
    /// Send and sign `x-amz-content-sha256` (the payload hash). Default: `s3` only.
    public var sendsContentSHA256: Bool

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
        let isS3 = service == "s3"
        doubleEncodePath = !isS3
        normalizePath = !isS3
        sendsContentSHA256 = isS3
    }

    /// Everything a signature is made of, kept for tests and diagnostics (none of it is secret).
    public struct Signature: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        /// Lower-case hex.
        public var signature: String
        public var signedHeaders: String
        public var authorization: String
        /// The headers to add to the request: `X-Amz-Date`, the session token and content hash when they apply,
        /// and `Authorization`.
        public var addedHeaders: [(name: String, value: String)]

        public static func == (lhs: Signature, rhs: Signature) -> Bool {
            lhs.canonicalRequest == rhs.canonicalRequest && lhs.stringToSign == rhs.stringToSign && lhs.signature == rhs.signature
                && lhs.authorization == rhs.authorization
        }
    }

    /// Signs a request. `path` and `query` are as sent on the wire; `headers` are the headers to sign (include
    /// `Host`); the headers this adds (date, token, content hash) are signed too.
    public func sign(method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8],
                     date: Date) -> Signature {
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        let payloadHash = SHA256Digest.hex(body)
        var added: [(name: String, value: String)] = [(name: "X-Amz-Date", value: amzDate)]
        let present = Set(headers.map { $0.name.lowercased() })
        if sendsContentSHA256 && !present.contains("x-amz-content-sha256") {
            added.append((name: "x-amz-content-sha256", value: payloadHash))
        }
        if let token = credentials.sessionToken, !present.contains("x-amz-security-token") {
            added.append((name: "X-Amz-Security-Token", value: token))
        }
        let (canonicalHeaders, signedHeaders) = SigV4Canonical.headers(headers + added)
        let canonicalRequest = [
            method.uppercased(),
            SigV4Canonical.uri(path, doubleEncode: doubleEncodePath, normalize: normalizePath),
            SigV4Canonical.query(query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, SHA256Digest.hex(canonicalRequest)].joined(separator: "\n")
        let signature = WebhookSignature.hex(WebhookSignature.hmacSHA256(key: signingKey(day: day), message: Array(stringToSign.utf8)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        added.append((name: "Authorization", value: authorization))
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                         signedHeaders: signedHeaders, authorization: authorization, addedHeaders: added)
    }

    /// Signs a request to an absolute URL: `Host` (with a non-default port) is derived from the URL and signed.
    /// Returns every header to send, `headers` included. Nil when `url` is not an absolute http(s) URL.
    public func signedHeaders(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8],
                              date: Date = Date()) -> [(name: String, value: String)]? {
        guard let parts = SigV4URL(url) else { return nil }
        let all = [(name: "Host", value: parts.host)] + headers.filter { $0.name.lowercased() != "host" }
        let signature = sign(method: method, path: parts.path, query: parts.query, headers: all, body: body, date: date)
        return all + signature.addedHeaders
    }

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    func signingKey(day: String) -> [UInt8] {
        var key = WebhookSignature.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), message: Array(day.utf8))
        for part in [region, service, "aws4_request"] {
            key = WebhookSignature.hmacSHA256(key: key, message: Array(part.utf8))
        }
        return key
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", c.year ?? 0) + two(c.month) + two(c.day) + "T" + two(c.hour) + two(c.minute) + two(c.second) + "Z"
    }
}

/// Host (with port when one is given), path and query of an absolute http(s) URL, without re-encoding anything.
public struct SigV4URL: Sendable, Equatable {
    public var host: String
    public var path: String
    public var query: String

    public init?(_ url: String) {
        let lowered = url.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") { scheme = "https://" } else if lowered.hasPrefix("http://") { scheme = "http://" } else { return nil }
        var rest = Substring(url.dropFirst(scheme.count))
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.isEmpty else { return nil }
        let defaultPort = scheme == "https://" ? ":443" : ":80"
        host = authority.hasSuffix(defaultPort) ? String(authority.dropLast(defaultPort.count)) : String(authority)
        let pathAndQuery = rest[authorityEnd...]
        if let question = pathAndQuery.firstIndex(of: "?") {
            path = String(pathAndQuery[..<question])
            query = String(pathAndQuery[pathAndQuery.index(after: question)...])
        } else {
            path = String(pathAndQuery)
            query = ""
        }
        if path.isEmpty { path = "/" }
    }
}
