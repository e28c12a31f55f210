extension CurlHTTPClient {
    /// Streams the body of `url` to `path` without buffering it in memory.
    ///
    /// Writes `path + ".partial"` first, fsyncs and renames it on a 2xx; removes the partial file on any
    /// failure or non-2xx. Throws ``HTTPClientError/responseTooLarge(limit:)`` as soon as more than
    /// `maxBytes` arrive (or Content-Length announces more). On a non-2xx status no file is created and
    /// the result carries up to 4 KiB of the error body.
    public func download(
        url: String, to path: String, maxBytes: Int64, timeout: Double, connectTimeout: Double = 10
    ) async throws -> DownloadResult {
        try Self.validate(url: url)
        let userAgent = self.userAgent
        return try await CurlThread.run { cancellation in
            let sink = FileBodySink(path: path, maxBytes: maxBytes)
            do {
                let easy = try CurlEasy()
                try easy.configure(url: url, userAgent: userAgent, timeout: timeout, connectTimeout: connectTimeout)
                try easy.configure(method: "GET", body: nil)
                try easy.setHeaders([], hasBody: false)
                let transfer = CurlTransfer(sink: sink, cancellation: cancellation)
                let status = try transfer.perform(on: easy, url: url)
                return try sink.finish(status: status)
            } catch {
                sink.discard()
                throw error
            }
        }
    }
}
