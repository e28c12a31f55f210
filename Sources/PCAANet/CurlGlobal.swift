import CCurl

/// Process-wide libcurl initialisation, performed exactly once.
enum CurlGlobal {
    /// `curl_global_init(CURL_GLOBAL_ALL)`; Swift runs a static `let` initialiser once, thread-safely.
    static let initResult: CURLcode = pcaa_curl_global_init_all()

    /// Makes sure libcurl is initialised before the first easy handle is created.
    static func ensureInitialized() throws {
        let code = initResult
        guard code == CURLE_OK else {
            throw HTTPClientError.other(code: Int32(code.rawValue), message: "curl_global_init failed: \(CurlErrors.text(code))")
        }
    }
}
