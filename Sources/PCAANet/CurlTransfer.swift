import CCurl

/// Per-transfer state handed to libcurl's C callbacks through an `Unmanaged` pointer.
/// Parses header lines (keeping only the final response's), forwards body bytes to a sink,
/// and aborts the transfer when the Swift task is cancelled.
final class CurlTransfer {
    let sink: any ResponseBodySink
    let cancellation: CancellationFlag
    /// Status code from the most recent status line.
    private(set) var status = 0
    /// Header fields of the most recent response; names lowercased, last value wins.
    private(set) var headers: [String: String] = [:]
    /// Set when a sink asked to stop.
    private(set) var stop: TransferStop?
    private var headerBlockComplete = false
    private var sinkStarted = false
    private var lastHeaderName: String?

    init(sink: any ResponseBodySink, cancellation: CancellationFlag) {
        self.sink = sink
        self.cancellation = cancellation
    }

    /// Runs the transfer on `easy` (blocking) and returns the final status code.
    /// Throws ``HTTPClientError`` or `CancellationError`.
    func perform(on easy: CurlEasy, url: String) throws -> Int {
        if cancellation.isCancelled { throw CancellationError() }
        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_HEADERDATA, pointer: context)
        try easy.set(CURLOPT_WRITEDATA, pointer: context)
        try easy.set(CURLOPT_XFERINFODATA, pointer: context)
        try easy.set(CURLOPT_NOPROGRESS, 0)
        _ = pcaa_curl_setopt_header_callback(easy.handle) { buffer, size, count, userdata in
            guard let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: buffer, count: size * count)
            return transfer.headerLine(bytes) ? size * count : 0
        }
        _ = pcaa_curl_setopt_write_callback(easy.handle) { buffer, size, count, userdata in
            guard let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: buffer, count: size * count)
            return transfer.bodyChunk(bytes) ? size * count : 0
        }
        _ = pcaa_curl_setopt_xferinfo_callback(easy.handle) { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.cancellation.isCancelled ? 1 : 0
        }

        let code = withExtendedLifetime(self) { curl_easy_perform(easy.handle) }

        if code == CURLE_ABORTED_BY_CALLBACK, cancellation.isCancelled {
            throw CancellationError()
        }
        switch stop {
        case .tooLarge(let limit):
            throw HTTPClientError.responseTooLarge(limit: limit)
        case .fileError(let path, let message):
            throw HTTPClientError.fileError(path: path, message: message)
        case .enough:
            break
        case nil:
            guard code == CURLE_OK else {
                throw CurlErrors.error(for: code, url: url, message: easy.message(for: code))
            }
        }
        return status > 0 ? status : easy.responseCode
    }

    // MARK: Callbacks

    /// Handles one header line (status line, field, or the blank line ending a block). Returns false to abort.
    private func headerLine(_ raw: UnsafeRawBufferPointer) -> Bool {
        var end = raw.count
        while end > 0, raw[end - 1] == 0x0A || raw[end - 1] == 0x0D { end -= 1 }
        if end == 0 {
            // End of a header block (or of trailers, which are ignored).
            if !headerBlockComplete {
                headerBlockComplete = true
                if status >= 200 { return startSink() }
            }
            return true
        }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response (after a redirect or 1xx): forget the previous one's headers.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = [:]
            headerBlockComplete = false
            sinkStarted = false
            lastHeaderName = nil
            return true
        }
        guard !headerBlockComplete else { return true } // trailer fields
        if line.first == " " || line.first == "\t" {
            // Obsolete line folding: continuation of the previous field.
            if let name = lastHeaderName, let previous = headers[name] {
                headers[name] = previous + " " + Self.trimmed(Substring(line))
            }
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        let name = Self.trimmed(line[..<colon]).lowercased()
        let value = Self.trimmed(line[line.index(after: colon)...])
        headers[name] = value
        lastHeaderName = name
        return true
    }

    /// Handles one body chunk. Returns false to abort.
    private func bodyChunk(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if !sinkStarted, !startSink() { return false }
        if bytes.isEmpty { return true }
        if let reason = sink.receive(bytes) {
            stop = reason
            return false
        }
        return true
    }

    private func startSink() -> Bool {
        sinkStarted = true
        if let reason = sink.responseHeadersComplete(status: status, headers: headers) {
            stop = reason
            return false
        }
        return true
    }

    private static func trimmed(_ text: Substring) -> String {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
