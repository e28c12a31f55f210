import CCurl

/// Per-submission state handed to libcurl's C callbacks: the message being uploaded, the server's reply lines
/// (curl passes SMTP replies to the header callback) and the cancellation flag.
final class SMTPTransfer {
    private let source: MemoryBodySource
    private let cancellation: CancellationFlag
    /// The last complete reply line, e.g. `250 2.0.0 Ok: queued`.
    private(set) var lastReply: String?

    init(message: [UInt8], cancellation: CancellationFlag) {
        source = MemoryBodySource(message)
        self.cancellation = cancellation
    }

    /// Runs the SMTP session (blocking) and returns the final reply code. Throws ``SMTPError`` or `CancellationError`.
    func perform(on easy: CurlEasy) throws -> Int {
        if cancellation.isCancelled { throw CancellationError() }
        let context = Unmanaged.passUnretained(self).toOpaque()
        do {
            try easy.set(CURLOPT_READDATA, pointer: context)
            try easy.set(CURLOPT_HEADERDATA, pointer: context)
            try easy.set(CURLOPT_XFERINFODATA, pointer: context)
            try easy.set(CURLOPT_NOPROGRESS, 0)
        } catch {
            throw SMTPError(reason: .invalidConfiguration, replyCode: 0, replyText: nil, message: "\(error)", curlCode: -1)
        }
        _ = pcaa_curl_setopt_read_callback(easy.handle) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
            let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.source.read(into: buffer, capacity: size * count)
        }
        _ = pcaa_curl_setopt_header_callback(easy.handle) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userdata).takeUnretainedValue()
            transfer.reply(UnsafeRawBufferPointer(start: buffer, count: size * count))
            return size * count
        }
        _ = pcaa_curl_setopt_xferinfo_callback(easy.handle) { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.cancellation.isCancelled ? 1 : 0
        }

        let code = withExtendedLifetime(self) { curl_easy_perform(easy.handle) }
        // The handle must not call back into this object once it is gone.
        try? easy.set(CURLOPT_READDATA, pointer: nil)
        try? easy.set(CURLOPT_HEADERDATA, pointer: nil)
        try? easy.set(CURLOPT_XFERINFODATA, pointer: nil)
        if code == CURLE_ABORTED_BY_CALLBACK, cancellation.isCancelled { throw CancellationError() }
        let replyCode = lastReplyCode ?? (easy.responseCode == 221 ? 0 : easy.responseCode)
        guard code == CURLE_OK else {
            throw SMTPError.from(code: code, replyCode: replyCode, replyText: lastReply, message: easy.message(for: code))
        }
        return replyCode
    }

    /// The code of the last reply line, when it starts with three digits.
    private var lastReplyCode: Int? {
        guard let line = lastReply, line.count >= 3 else { return nil }
        return Int(line.prefix(3))
    }

    /// Remembers a reply line (multi-line replies keep their last line), on one line and at most 300 characters.
    /// The reply to QUIT (221, sent as the connection closes, even after a failure) is not the outcome and is skipped.
    private func reply(_ raw: UnsafeRawBufferPointer) {
        var line = String(decoding: raw, as: UTF8.self)
        while let last = line.last, last.isNewline { line.removeLast() }
        guard line.count >= 3, line.prefix(3).allSatisfy(\.isNumber), !line.hasPrefix("221") else { return }
        lastReply = String(line.prefix(300))
    }
}
