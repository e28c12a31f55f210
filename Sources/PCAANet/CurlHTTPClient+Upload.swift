import CCurl
import Foundation

extension CurlHTTPClient {
    /// Sends the file at `path` as the raw request body (`POST` or `PUT`), streamed from disk while uploading, and
    /// returns the final response.
    ///
    /// Used for APIs that take the audio itself as the body (Deepgram's `/v1/listen`, an Azure blob `PUT`).
    /// `Content-Length` is the file's size at the start; a file that cannot be opened throws
    /// ``HTTPClientError/fileError(path:message:)`` before anything is sent, and one that shrinks underneath the
    /// upload fails the transfer with the same error. The response body is collected in memory up to
    /// `maxResponseBytes`, as with ``send(_:maxResponseBytes:)``.
    public func upload(
        method: String = "POST",
        url: String,
        headers: [(name: String, value: String)] = [],
        filePath path: String,
        timeout: Double,
        connectTimeout: Double = 10,
        maxResponseBytes: Int = 16 << 20
    ) async throws -> HTTPResponse {
        try Self.validate(url: url)
        try CurlMimeForm.checkReadableFile(path)
        let userAgent = self.userAgent
        return try await CurlThread.run { cancellation in
            let source = try FileBodySource(path: path)
            let easy = try CurlEasy()
            try easy.configure(url: url, userAgent: userAgent, timeout: timeout, connectTimeout: connectTimeout)
            try easy.set(CURLOPT_UPLOAD, 1)
            try easy.set(CURLOPT_INFILESIZE_LARGE, offset: source.size)
            if method.uppercased() != "PUT" { try easy.set(CURLOPT_CUSTOMREQUEST, method.uppercased()) }
            try easy.setHeaders(headers, hasBody: true)
            try easy.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(source).toOpaque())
            _ = pcaa_curl_setopt_read_callback(easy.handle) { buffer, size, count, userdata in
                guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
                let source = Unmanaged<FileBodySource>.fromOpaque(userdata).takeUnretainedValue()
                return source.read(into: buffer, capacity: size * count)
            }
            let sink = MemoryBodySink(limit: maxResponseBytes, ignoresContentLength: false)
            let transfer = CurlTransfer(sink: sink, cancellation: cancellation)
            let status: Int
            do {
                status = try withExtendedLifetime(source) { try transfer.perform(on: easy, url: url) }
            } catch HTTPClientError.other(let code, let message)
                where code == Int32(bitPattern: CURLE_READ_ERROR.rawValue) || code == Int32(bitPattern: CURLE_ABORTED_BY_CALLBACK.rawValue) {
                throw HTTPClientError.fileError(path: path, message: source.failure ?? message)
            }
            if let failure = source.failure { throw HTTPClientError.fileError(path: path, message: failure) }
            return HTTPResponse(status: status, headers: transfer.headers, body: sink.body)
        }
    }
}

/// A file read by libcurl's read callback; remembers why reading stopped early.
final class FileBodySource {
    let size: Int64
    private let descriptor: Int32
    private var sent: Int64 = 0
    private(set) var failure: String?

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HTTPClientError.fileError(path: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw HTTPClientError.fileError(path: path, message: "cannot stat")
        }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Fills `buffer` with up to `capacity` bytes; 0 at the end; `CURL_READFUNC_ABORT` when the file shrank or failed.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let wanted = Int(min(Int64(capacity), size - sent))
        guard wanted > 0 else { return 0 }
        let count = Glibc.read(descriptor, buffer, wanted)
        if count < 0 {
            failure = "read failed: \(String(cString: strerror(errno)))"
            return Int(CURL_READFUNC_ABORT)
        }
        if count == 0 {
            failure = "file shrank during the upload (\(sent) of \(size) bytes sent)"
            return Int(CURL_READFUNC_ABORT)
        }
        sent += Int64(count)
        return count
    }
}
