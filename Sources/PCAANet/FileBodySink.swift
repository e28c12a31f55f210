#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a 2xx response body straight to `path + ".partial"`; keeps up to 4 KiB of a non-2xx body.
final class FileBodySink: ResponseBodySink {
    /// Maximum number of error-body bytes kept for a non-2xx response.
    static let errorBodyLimit = 4096

    let path: String
    let partialPath: String
    let maxBytes: Int64
    private var fd: Int32 = -1
    private var written: Int64 = 0
    private var status = 0
    private var contentType: String?
    private var errorBody: [UInt8] = []

    init(path: String, maxBytes: Int64) {
        self.path = path
        self.partialPath = path + ".partial"
        self.maxBytes = max(0, maxBytes)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    private var isSuccess: Bool { (200..<300).contains(status) }
    private var limit: Int { Int(clamping: maxBytes) }

    func responseHeadersComplete(status: Int, headers: [String: String]) -> TransferStop? {
        self.status = status
        contentType = headers["content-type"]
        errorBody.removeAll()
        guard isSuccess else { return nil }
        if let length = headers["content-length"].flatMap({ Int64($0) }), length > maxBytes {
            return .tooLarge(limit: limit)
        }
        if fd >= 0 {
            // Should not happen (a 2xx is final), but never append two bodies.
            guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { return fileStop("truncate") }
            written = 0
            return nil
        }
        fd = open(partialPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        return fd < 0 ? fileStop("open") : nil
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> TransferStop? {
        guard isSuccess else {
            let room = Self.errorBodyLimit - errorBody.count
            errorBody.append(contentsOf: bytes.prefix(max(0, room)))
            return bytes.count > room ? .enough : nil
        }
        guard fd >= 0 else { return fileStop("write (file not open)") }
        guard written + Int64(bytes.count) <= maxBytes else { return .tooLarge(limit: limit) }
        var offset = 0
        while offset < bytes.count {
            let result = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                return fileStop("write")
            }
            offset += result
        }
        written += Int64(bytes.count)
        return nil
    }

    /// Completes a finished transfer: fsync + rename on 2xx, otherwise clean up and report the error body.
    func finish(status finalStatus: Int) throws -> DownloadResult {
        if status == 0 { status = finalStatus }
        guard isSuccess else {
            discard()
            return DownloadResult(
                status: status, bytes: 0, contentType: contentType,
                errorBody: String(decoding: errorBody, as: UTF8.self))
        }
        if fd < 0 {
            // A 2xx whose headers never reached the sink; materialise an empty file.
            fd = open(partialPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw fileError("open") }
        }
        guard fsync(fd) == 0 else { throw fileError("fsync") }
        let closeResult = close(fd)
        fd = -1
        guard closeResult == 0 else { throw fileError("close") }
        guard rename(partialPath, path) == 0 else { throw fileError("rename to \(path)") }
        syncParentDirectory()
        return DownloadResult(status: status, bytes: written, contentType: contentType, errorBody: nil)
    }

    /// Closes and removes the partial file, if any.
    func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        unlink(partialPath)
    }

    /// Best effort: make the rename durable.
    private func syncParentDirectory() {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { return }
        _ = fsync(dirFD)
        close(dirFD)
    }

    private func errnoMessage(_ operation: String) -> String {
        "\(operation): \(String(cString: strerror(errno)))"
    }

    private func fileStop(_ operation: String) -> TransferStop {
        .fileError(path: partialPath, message: errnoMessage(operation))
    }

    private func fileError(_ operation: String) -> HTTPClientError {
        .fileError(path: partialPath, message: errnoMessage(operation))
    }
}
