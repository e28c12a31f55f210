/// Why a sink asked curl to stop receiving.
enum TransferStop {
    /// The body exceeded the caller's limit.
    case tooLarge(limit: Int)
    /// Writing the body to disk failed.
    case fileError(path: String, message: String)
    /// The sink has everything it wants; the transfer counts as successful.
    case enough
}

/// Receives the final response's headers and body bytes from a transfer (on the curl thread).
protocol ResponseBodySink: AnyObject {
    /// Called when a non-1xx response's header block is complete; may be called again after a redirect.
    func responseHeadersComplete(status: Int, headers: [String: String]) -> TransferStop?
    /// Called for each body chunk; return a stop reason to abort the transfer.
    func receive(_ bytes: UnsafeRawBufferPointer) -> TransferStop?
}

/// Collects a response body in memory, up to a limit.
final class MemoryBodySink: ResponseBodySink {
    let limit: Int
    /// HEAD responses announce a Content-Length without sending a body.
    let ignoresContentLength: Bool
    private(set) var body: [UInt8] = []

    init(limit: Int, ignoresContentLength: Bool) {
        self.limit = max(0, limit)
        self.ignoresContentLength = ignoresContentLength
    }

    func responseHeadersComplete(status: Int, headers: [String: String]) -> TransferStop? {
        body.removeAll(keepingCapacity: true)
        let isRedirect = (300..<400).contains(status)
        if !ignoresContentLength, !isRedirect,
           let length = headers["content-length"].flatMap({ Int64($0) }) {
            if length > Int64(limit) { return .tooLarge(limit: limit) }
            body.reserveCapacity(Int(length))
        }
        return nil
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> TransferStop? {
        guard body.count + bytes.count <= limit else { return .tooLarge(limit: limit) }
        body.append(contentsOf: bytes)
        return nil
    }
}
