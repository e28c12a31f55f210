/// An HTTP/HTTPS client built on libcurl's easy interface.
/// Blocking libcurl work runs on its own threads, never on Swift's cooperative pool.
public struct CurlHTTPClient: Sendable {
    /// Value of the User-Agent header sent with every request.
    public let userAgent: String

    public init(userAgent: String = "pcaa") {
        self.userAgent = userAgent
    }

    /// Sends `request` and returns the final response (redirects are followed, at most 5).
    /// Throws ``HTTPClientError/responseTooLarge(limit:)`` as soon as the body exceeds `maxResponseBytes`.
    public func send(_ request: HTTPRequest, maxResponseBytes: Int = 16 << 20) async throws -> HTTPResponse {
        try Self.validate(url: request.url)
        let userAgent = self.userAgent
        return try await CurlThread.run { cancellation in
            let easy = try CurlEasy()
            try easy.configure(
                url: request.url, userAgent: userAgent,
                timeout: request.timeout, connectTimeout: request.connectTimeout)
            try easy.configure(method: request.method, body: request.body)
            try easy.setHeaders(request.headers, hasBody: request.body != nil)
            let isHead = request.method.uppercased() == "HEAD"
            let sink = MemoryBodySink(limit: maxResponseBytes, ignoresContentLength: isHead)
            let transfer = CurlTransfer(sink: sink, cancellation: cancellation)
            let status = try transfer.perform(on: easy, url: request.url)
            return HTTPResponse(status: status, headers: transfer.headers, body: sink.body)
        }
    }

    /// Rejects anything but absolute http/https URLs before curl sees them.
    static func validate(url: String) throws {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw HTTPClientError.invalidURL(url)
        }
    }
}
