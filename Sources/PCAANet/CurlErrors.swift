import CCurl

/// Maps libcurl result codes to ``HTTPClientError``.
enum CurlErrors {
    /// libcurl's generic text for a result code.
    static func text(_ code: CURLcode) -> String {
        guard let cString = curl_easy_strerror(code) else { return "unknown error" }
        return String(cString: cString)
    }

    /// Translates a failed `curl_easy_perform` result into an error.
    static func error(for code: CURLcode, url: String, message: String) -> HTTPClientError {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(url: url)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
             CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR,
             CURLE_PROXY:
            return .connectionFailed(url: url, message: message)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidURL(url)
        default:
            return .other(code: Int32(bitPattern: code.rawValue), message: message)
        }
    }
}
