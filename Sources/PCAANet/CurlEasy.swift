import CCurl

/// Owns one libcurl easy handle and the memory curl borrows from it (error buffer, header list, request body).
/// Used by one thread at a time.
final class CurlEasy {
    /// The raw `CURL *`.
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var requestBody: UnsafeMutableRawBufferPointer?

    init() throws {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw HTTPClientError.other(code: -1, message: "curl_easy_init failed")
        }
        self.handle = handle
        let size = pcaa_curl_error_size()
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
        requestBody?.deallocate()
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(pcaa_curl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws {
        try check(pcaa_curl_setopt_str(handle, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws {
        try check(pcaa_curl_setopt_off_t(handle, option, curl_off_t(value)), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws {
        try check(pcaa_curl_setopt_ptr(handle, option, value), option)
    }

    /// Settings shared by every transfer: URL, timeouts, redirects, protocols, no signals.
    func configure(url: String, userAgent: String, timeout: Double, connectTimeout: Double) throws {
        try set(CURLOPT_URL, url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 1)
        try set(CURLOPT_MAXREDIRS, 5)
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_USERAGENT, userAgent)
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout))
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout))
    }

    /// Selects the method and hands curl the request body (copied; curl borrows it until the handle dies).
    func configure(method rawMethod: String, body: [UInt8]?) throws {
        let method = rawMethod.uppercased()
        if method == "HEAD" {
            try set(CURLOPT_NOBODY, 1)
            return
        }
        let needsBody = body != nil || method == "POST" || method == "PUT" || method == "PATCH"
        if needsBody {
            try setPostBody(body ?? [])
            if method != "POST" {
                try set(CURLOPT_CUSTOMREQUEST, method)
            }
        } else if method == "GET" {
            try set(CURLOPT_HTTPGET, 1)
        } else {
            try set(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    private func setPostBody(_ body: [UInt8]) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(body.count, 1), alignment: 1)
        requestBody?.deallocate()
        requestBody = buffer
        body.withUnsafeBytes { source in
            if source.count > 0 { buffer.copyMemory(from: source) }
        }
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
        try set(CURLOPT_POSTFIELDS, pointer: buffer.baseAddress)
    }

    /// Installs request headers; always adds an empty `Expect:` so curl never waits for 100-continue,
    /// and removes curl's default form Content-Type when the caller sends a body without one.
    func setHeaders(_ headers: [(name: String, value: String)], hasBody: Bool) throws {
        var lines: [String] = []
        var sawExpect = false
        var sawContentType = false
        for (name, value) in headers {
            guard !name.isEmpty,
                  !name.contains(where: { $0 == ":" || $0.isNewline || $0 == " " }),
                  !value.contains(where: { $0.isNewline })
            else {
                throw HTTPClientError.other(
                    code: Int32(bitPattern: CURLE_BAD_FUNCTION_ARGUMENT.rawValue),
                    message: "invalid header field \(name.debugDescription)")
            }
            switch name.lowercased() {
            case "expect": sawExpect = true
            case "content-type": sawContentType = true
            default: break
            }
            // "Name;" is curl's syntax for a header with an empty value ("Name:" would remove it).
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if !sawExpect { lines.append("Expect:") }
        if hasBody && !sawContentType { lines.append("Content-Type:") }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw HTTPClientError.other(code: Int32(bitPattern: CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            list = appended
        }
        curl_slist_free_all(headerList)
        headerList = list
        try check(pcaa_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list), CURLOPT_HTTPHEADER)
    }

    // MARK: Results

    /// The last HTTP status code received (0 if none).
    var responseCode: Int {
        var code: Int = 0
        _ = pcaa_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// curl's detailed message for the last failure, or its generic text for `code`.
    func message(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? CurlErrors.text(code) : detail
    }

    // MARK: Helpers

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            throw HTTPClientError.other(
                code: Int32(bitPattern: code.rawValue),
                message: "curl_easy_setopt(\(option.rawValue)) failed: \(CurlErrors.text(code))")
        }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return max(1, Int((seconds * 1000).rounded()))
    }
}
