/// An HTTP request to be sent with ``CurlHTTPClient``.
public struct HTTPRequest: Sendable {
    /// HTTP method: "GET", "POST", "PUT", "HEAD", "DELETE", ...
    public var method: String
    /// Absolute `http://` or `https://` URL.
    public var url: String
    /// Request header fields, sent in order.
    public var headers: [(name: String, value: String)]
    /// Request body, sent from memory (nil = no body).
    public var body: [UInt8]?
    /// Whole-transfer timeout in seconds (values ≤ 0 disable it).
    public var timeout: Double
    /// Connection-phase timeout in seconds (values ≤ 0 use curl's default).
    public var connectTimeout: Double

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        timeout: Double = 30,
        connectTimeout: Double = 10
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// The final response of an HTTP exchange (after redirects).
public struct HTTPResponse: Sendable {
    /// HTTP status code of the final response.
    public var status: Int
    /// Response header fields of the final response; names lowercased, last value wins.
    public var headers: [String: String]
    /// Response body bytes.
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Case-insensitive header lookup.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }

    /// The body decoded as UTF-8, replacing invalid sequences.
    public var bodyString: String {
        String(decoding: body, as: UTF8.self)
    }
}

/// Outcome of ``CurlHTTPClient/download(url:to:maxBytes:timeout:connectTimeout:)``.
public struct DownloadResult: Sendable {
    /// HTTP status code of the final response.
    public var status: Int
    /// Bytes written to the destination file (0 for a non-2xx status).
    public var bytes: Int64
    /// The final response's Content-Type, if any.
    public var contentType: String?
    /// Up to 4 KiB of the body of a non-2xx response (lossy UTF-8); nil on success.
    public var errorBody: String?

    public init(status: Int, bytes: Int64, contentType: String?, errorBody: String?) {
        self.status = status
        self.bytes = bytes
        self.contentType = contentType
        self.errorBody = errorBody
    }
}
