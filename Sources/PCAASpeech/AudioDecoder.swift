import Foundation

/// Converts recordings that are not PCM WAV (MP3, μ-law/A-law or ADPCM WAV, FLAC, Ogg, …) into 16-bit PCM WAV with
/// an installed command-line decoder: `ffmpeg` when present (it reads everything), else `sox` (whatever formats
/// its build includes; Debian's plain `sox` has no MP3). The tool streams file to file, so memory stays flat.
public struct AudioDecoder: Sendable, Equatable {
    public enum Tool: String, Sendable {
        case ffmpeg, sox
    }

    public let tool: Tool
    public let executable: String

    public init(tool: Tool, executable: String) {
        self.tool = tool
        self.executable = executable
    }

    /// The first of `ffmpeg`, `sox` found on `PATH`; nil when neither is installed.
    public static func installed(environment: [String: String] = ProcessInfo.processInfo.environment) -> AudioDecoder? {
        let paths = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for tool in [Tool.ffmpeg, .sox] {
            if let path = paths.map({ "\($0)/\(tool.rawValue)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                return AudioDecoder(tool: tool, executable: path)
            }
        }
        return nil
    }

    /// Decodes `input` into a 16-bit PCM WAV at `output` (written as `output.tmp`, renamed when complete).
    /// Throws ``AudioDecodeError`` with the tool's own explanation when it cannot read the file.
    public func decode(input: String, output: String, timeoutSeconds: Double) async throws {
        if tool == .sox, Self.sniffType(path: input) == nil {
            throw AudioDecodeError(tool: tool, message: "the file is in no format sox recognises (not WAV, MP3, FLAC, Ogg, AIFF, AU or AMR)")
        }
        let temporary = output + ".tmp"
        let log = output + ".decoder-log"
        defer {
            try? FileManager.default.removeItem(atPath: temporary)
            try? FileManager.default.removeItem(atPath: log)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments(input: input, output: temporary)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? logHandle.close() }
        process.standardError = logHandle

        let status = try await Self.run(process, timeoutSeconds: timeoutSeconds)
        guard let status else {
            throw AudioDecodeError(tool: tool, message: "did not finish within \(Int(timeoutSeconds)) s")
        }
        guard status == 0, FileManager.default.fileExists(atPath: temporary) else {
            let detail = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let lastLine = detail.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit status \(status)"
            throw AudioDecodeError(tool: tool, message: String(lastLine.prefix(300)))
        }
        try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.moveItem(atPath: temporary, toPath: output)
    }

    /// Command-line arguments converting `input` to 16-bit PCM WAV at `output`.
    public func arguments(input: String, output: String) -> [String] {
        switch tool {
        case .ffmpeg:
            return ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", input, "-vn", "-map_metadata", "-1",
                    "-acodec", "pcm_s16le", "-f", "wav", output]
        case .sox:
            var arguments = ["-V1"]
            if let type = Self.sniffType(path: input) { arguments += ["-t", type] }
            return arguments + [input, "-b", "16", "-e", "signed-integer", "-t", "wav", output]
        }
    }

    /// The container type from the file's first bytes, for `sox -t` (the download has no meaningful extension).
    static func sniffType(path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 12)) ?? Data())
        func starts(_ text: String) -> Bool { head.starts(with: Array(text.utf8)) }
        if starts("RIFF") || starts("RIFX") { return "wav" }
        if starts("fLaC") { return "flac" }
        if starts("OggS") { return "ogg" }
        if starts("FORM") { return "aiff" }
        if starts(".snd") { return "au" }
        if starts("ID3") || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) { return "mp3" }
        if starts("#!AMR-WB") { return "amr-wb" }
        if starts("#!AMR") { return "amr-nb" }
        return nil
    }

    /// Runs `process`; its exit status, or nil after killing it when it outlives the timeout.
    private static func run(_ process: Process, timeoutSeconds: Double) async throws -> Int32? {
        let (exits, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        let pid = process.processIdentifier
        let state = DecoderRunState()
        let timer = Task {
            try await Task.sleep(for: .seconds(timeoutSeconds))
            guard state.markTimedOut() else { return }
            kill(pid, SIGTERM)
            try await Task.sleep(for: .seconds(2))
            if state.isRunning { kill(pid, SIGKILL) }
        }
        let status = await withTaskCancellationHandler {
            var iterator = exits.makeAsyncIterator()
            return await iterator.next()
        } onCancel: {
            if state.isRunning { kill(pid, SIGKILL) }
        }
        state.markExited()
        timer.cancel()
        return state.timedOut ? nil : status
    }
}

/// Whether a decoder process is still running and whether the timeout fired, shared with the timer task.
private final class DecoderRunState: @unchecked Sendable {
    private let lock = NSLock()
    private var exited = false
    private var fired = false

    var isRunning: Bool { lock.withLock { !exited } }
    var timedOut: Bool { lock.withLock { fired } }

    /// Records the timeout; false when the process had already exited (nothing to kill).
    func markTimedOut() -> Bool {
        lock.withLock {
            guard !exited else { return false }
            fired = true
            return true
        }
    }

    func markExited() { lock.withLock { exited = true } }
}

/// A decoder tool could not turn a recording into PCM WAV.
public struct AudioDecodeError: Error, Sendable, CustomStringConvertible {
    public let tool: AudioDecoder.Tool
    public let message: String

    public var description: String { "\(tool.rawValue) cannot decode the recording: \(message)" }
}
