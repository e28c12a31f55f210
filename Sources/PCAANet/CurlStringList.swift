import CCurl

/// An owned `curl_slist` (e.g. `CURLOPT_MAIL_RCPT`), freed when the list dies: keep it alive as long as the handle
/// that borrows it.
final class CurlStringList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    init(_ items: [String]) throws {
        for item in items {
            guard let appended = curl_slist_append(list, item) else {
                curl_slist_free_all(list)
                list = nil
                throw HTTPClientError.other(code: Int32(bitPattern: CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            list = appended
        }
    }

    deinit { curl_slist_free_all(list) }
}
