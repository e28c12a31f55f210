import CCurl
import Foundation

/// One part of a `multipart/form-data` request sent with ``CurlHTTPClient/sendMultipart(url:headers:parts:timeout:connectTimeout:maxResponseBytes:)``.
public enum MultipartPart: Sendable, Equatable {
    /// A text field (`Content-Disposition: form-data; name="…"`), sent from memory as UTF-8.
    case field(name: String, value: String)
    /// A file field, streamed from `path` by libcurl while the request is sent (never loaded into memory).
    /// `filename` is the name announced to the server; `contentType` the part's `Content-Type`.
    case file(name: String, path: String, filename: String, contentType: String)
}

extension CurlHTTPClient {
    /// POSTs a `multipart/form-data` body built from `parts` and returns the final response.
    ///
    /// File parts are read from disk in chunks while uploading, so multi-megabyte files cost no memory.
    /// curl chooses the boundary and sets `Content-Type: multipart/form-data; boundary=…` itself, so a
    /// `Content-Type` in `headers` is ignored. A file part whose path is not a readable regular file throws
    /// ``HTTPClientError/fileError(path:message:)`` before anything is sent. The response body is collected in
    /// memory up to `maxResponseBytes` (``HTTPClientError/responseTooLarge(limit:)`` beyond), as with ``send(_:maxResponseBytes:)``.
    public func sendMultipart(
        url: String,
        headers: [(name: String, value: String)] = [],
        parts: [MultipartPart],
        timeout: Double,
        connectTimeout: Double = 10,
        maxResponseBytes: Int = 16 << 20
    ) async throws -> HTTPResponse {
        try Self.validate(url: url)
        for case .file(_, let path, _, _) in parts {
            try CurlMimeForm.checkReadableFile(path)
        }
        let userAgent = self.userAgent
        let headers = headers.filter { $0.name.lowercased() != "content-type" }
        return try await CurlThread.run { cancellation in
            let easy = try CurlEasy()
            try easy.configure(url: url, userAgent: userAgent, timeout: timeout, connectTimeout: connectTimeout)
            // hasBody: false keeps curl's own multipart Content-Type (with the boundary); `Expect:` is still
            // disabled so a large upload does not wait for 100-continue.
            try easy.setHeaders(headers, hasBody: false)
            let form = try CurlMimeForm(easy: easy, parts: parts)
            let sink = MemoryBodySink(limit: maxResponseBytes, ignoresContentLength: false)
            let transfer = CurlTransfer(sink: sink, cancellation: cancellation)
            let status: Int
            do {
                status = try withExtendedLifetime(form) { try transfer.perform(on: easy, url: url) }
            } catch HTTPClientError.other(let code, let message)
                where code == Int32(bitPattern: CURLE_READ_ERROR.rawValue) {
                // A file part could not be read mid-upload (removed or truncated underneath us).
                throw HTTPClientError.fileError(path: form.filePaths.joined(separator: ", "), message: message)
            }
            return HTTPResponse(status: status, headers: transfer.headers, body: sink.body)
        }
    }
}

/// Owns a libcurl MIME structure attached to a ``CurlEasy`` with `CURLOPT_MIMEPOST`.
/// Keeps the easy handle alive and detaches the form from it before `curl_mime_free`,
/// so curl never touches freed MIME memory. Used by one thread at a time.
final class CurlMimeForm {
    private let easy: CurlEasy
    private let mime: OpaquePointer
    /// Paths of the file parts, for error messages.
    private(set) var filePaths: [String] = []

    init(easy: CurlEasy, parts: [MultipartPart]) throws {
        guard let mime = curl_mime_init(easy.handle) else {
            throw HTTPClientError.other(code: Int32(bitPattern: CURLE_OUT_OF_MEMORY.rawValue), message: "curl_mime_init failed")
        }
        self.easy = easy
        self.mime = mime
        // From here on, deinit frees `mime` if anything below throws.
        for part in parts {
            guard let handle = curl_mime_addpart(mime) else {
                throw HTTPClientError.other(code: Int32(bitPattern: CURLE_OUT_OF_MEMORY.rawValue), message: "curl_mime_addpart failed")
            }
            switch part {
            case .field(let name, let value):
                try Self.check(curl_mime_name(handle, name), "curl_mime_name")
                // utf8CString always ends with a NUL; the explicit length (never CURL_ZERO_TERMINATED)
                // excludes it and keeps any interior NULs. curl copies the bytes.
                let bytes = value.utf8CString
                try bytes.withUnsafeBufferPointer { buffer in
                    try Self.check(curl_mime_data(handle, buffer.baseAddress, buffer.count - 1), "curl_mime_data")
                }
            case .file(let name, let path, let filename, let contentType):
                try Self.check(curl_mime_name(handle, name), "curl_mime_name")
                let code = curl_mime_filedata(handle, path)
                if code == CURLE_READ_ERROR {
                    throw HTTPClientError.fileError(path: path, message: "cannot read file")
                }
                try Self.check(code, "curl_mime_filedata")
                // curl_mime_filedata announces the path's basename; replace it with the caller's name.
                try Self.check(curl_mime_filename(handle, filename), "curl_mime_filename")
                try Self.check(curl_mime_type(handle, contentType), "curl_mime_type")
                filePaths.append(path)
            }
        }
        try easy.set(CURLOPT_MIMEPOST, pointer: UnsafeMutableRawPointer(mime))
    }

    deinit {
        // Unbind the form from the handle first (curl_easy_cleanup would otherwise touch it), then free it.
        _ = pcaa_curl_setopt_ptr(easy.handle, CURLOPT_MIMEPOST, nil)
        curl_mime_free(mime)
    }

    /// Throws ``HTTPClientError/fileError(path:message:)`` unless `path` is a readable regular file.
    static func checkReadableFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HTTPClientError.fileError(path: path, message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw HTTPClientError.fileError(path: path, message: "is a directory")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw HTTPClientError.fileError(path: path, message: "not readable")
        }
    }

    private static func check(_ code: CURLcode, _ function: String) throws {
        guard code == CURLE_OK else {
            throw HTTPClientError.other(
                code: Int32(bitPattern: code.rawValue), message: "\(function) failed: \(CurlErrors.text(code))")
        }
    }
}
