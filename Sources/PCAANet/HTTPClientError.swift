/// Errors thrown by ``CurlHTTPClient``.
public enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// The transfer exceeded its timeout (CURLE_OPERATION_TIMEDOUT).
    case timedOut(url: String)
    /// Could not resolve/connect, or the connection broke mid-transfer.
    case connectionFailed(url: String, message: String)
    /// The response body exceeded the caller's limit; the transfer was aborted.
    case responseTooLarge(limit: Int)
    /// The URL is not http/https, or curl rejected it.
    case invalidURL(String)
    /// A local file could not be created, written, synced or renamed.
    case fileError(path: String, message: String)
    /// Any other libcurl failure.
    case other(code: Int32, message: String)

    /// Whether retrying later may succeed (timeouts and connection failures).
    public var isTransient: Bool {
        switch self {
        case .timedOut, .connectionFailed:
            return true
        case .responseTooLarge, .invalidURL, .fileError, .other:
            return false
        }
    }

    public var description: String {
        switch self {
        case .timedOut(let url):
            return "request to \(url) timed out"
        case .connectionFailed(let url, let message):
            return "connection to \(url) failed: \(message)"
        case .responseTooLarge(let limit):
            return "response larger than the limit of \(limit) bytes"
        case .invalidURL(let url):
            return "invalid URL (only http and https are allowed): \(url)"
        case .fileError(let path, let message):
            return "file error on \(path): \(message)"
        case .other(let code, let message):
            return "curl error \(code): \(message)"
        }
    }
}
