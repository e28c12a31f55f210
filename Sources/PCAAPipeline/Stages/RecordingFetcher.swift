import Foundation
import PCAACore
import PCAANet
import PCAASpeech

/// Downloads a call's recording with libcurl (size limit, timeout, streamed to disk) and reads its WAV header.
/// A recording that is not PCM WAV (MP3, μ-law WAV, FLAC, …) is converted with `ffmpeg` or `sox` when one is
/// installed, and refused with a permanent `unsupported_audio` error otherwise.
public struct RecordingFetcher: Sendable {
    public let directory: String
    public let maxBytes: Int64
    public let timeoutSeconds: Double
    public let connectTimeoutSeconds: Double
    /// Converts other formats to PCM WAV; nil accepts PCM WAV only.
    public let decoder: AudioDecoder?
    let client: CurlHTTPClient

    public init(directory: String, maxBytes: Int64, timeoutSeconds: Double, connectTimeoutSeconds: Double,
                decoder: AudioDecoder? = AudioDecoder.installed()) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.decoder = decoder
        self.client = CurlHTTPClient(userAgent: "pcaa/\(PCAAVersion.current)")
    }

    /// `<data>/recordings/<bid>/<callid>.wav`; both ids are re-checked so no value can leave the directory.
    public func path(bid: String, callid: String) throws -> String {
        guard SafeIdentifier.isValidBID(bid), SafeIdentifier.isValidCallID(callid) else {
            throw StageError.permanent("invalid_identifier", "bid or callid is not a safe identifier")
        }
        return "\(directory)/\(bid)/\(callid).wav"
    }

    /// Fetches the recording (reusing a complete earlier download) and returns its audio description.
    public func fetch(url: String, bid: String, callid: String) async throws -> AudioFile {
        let target = try path(bid: bid, callid: callid)
        if FileManager.default.fileExists(atPath: target), let info = try? WAVInfo.read(path: target) {
            return Self.audioFile(path: target, info: info)
        }
        do {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw StageError.transient("storage_unavailable", "cannot create the recordings directory: \(error.localizedDescription)")
        }
        let downloaded = target + ".download"
        let result: DownloadResult
        do {
            result = try await client.download(url: url, to: downloaded, maxBytes: maxBytes, timeout: timeoutSeconds, connectTimeout: connectTimeoutSeconds)
        } catch let error as HTTPClientError {
            throw Self.stageError(for: error)
        }
        guard (200..<300).contains(result.status) else {
            throw Self.stageError(status: result.status)
        }
        defer { try? FileManager.default.removeItem(atPath: downloaded) }
        do {
            let info = try WAVInfo.read(path: downloaded)
            try Self.move(downloaded, to: target)
            return Self.audioFile(path: target, info: info)
        } catch let error as AudioFormatError {
            guard let decoder else {
                throw StageError.permanent(
                    "unsupported_audio", "recording is not usable audio: \(error); install ffmpeg or sox to accept other formats")
            }
            return try await decode(downloaded, to: target, with: decoder, formatError: error)
        }
    }

    /// Converts a downloaded non-PCM recording into the PCM WAV at `target`.
    private func decode(_ downloaded: String, to target: String, with decoder: AudioDecoder, formatError: AudioFormatError) async throws -> AudioFile {
        do {
            try await decoder.decode(input: downloaded, output: target, timeoutSeconds: timeoutSeconds)
            return Self.audioFile(path: target, info: try WAVInfo.read(path: target))
        } catch let error as AudioDecodeError {
            throw StageError.permanent("unsupported_audio", "recording is not usable audio (\(formatError)); \(error)")
        } catch let error as AudioFormatError {
            try? FileManager.default.removeItem(atPath: target)
            throw StageError.permanent("unsupported_audio", "recording decoded by \(decoder.tool.rawValue) is still not usable: \(error)")
        } catch let error as StageError {
            throw error
        } catch {
            throw StageError.transient("storage_unavailable", "cannot convert the recording: \(error.localizedDescription)")
        }
    }

    private static func move(_ source: String, to target: String) throws {
        do {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.moveItem(atPath: source, toPath: target)
        } catch {
            throw StageError.transient("storage_unavailable", "cannot store the recording: \(error.localizedDescription)")
        }
    }

    static func audioFile(path: String, info: WAVInfo) -> AudioFile {
        AudioFile(path: path, sampleRate: info.sampleRate, channels: info.channels, bitsPerSample: info.bitsPerSample,
                  durationSeconds: info.durationSeconds)
    }

    /// 408, 425, 429 and 5xx are worth retrying; other statuses will not change.
    static func stageError(status: Int) -> StageError {
        let transient = status == 408 || status == 425 || status == 429 || status >= 500
        return StageError(transient ? .transient : .permanent, code: "download_http_\(status)",
                          message: "recording download answered HTTP \(status)")
    }

    static func stageError(for error: HTTPClientError) -> StageError {
        switch error {
        case .responseTooLarge(let limit):
            return .permanent("recording_too_large", "recording is larger than download.max_bytes (\(limit) bytes)")
        case .invalidURL:
            return .permanent("invalid_recording_url", "recording_url is not a fetchable http(s) URL")
        case .timedOut:
            return .transient("download_timeout", "recording download timed out")
        case .connectionFailed(_, let message):
            return .transient("download_connection_failed", "cannot reach the recording server: \(message)")
        case .fileError(_, let message):
            return .transient("storage_unavailable", "cannot write the recording: \(message)")
        case .other(let code, let message):
            // The URL may carry a signed query string; messages name the failure, never the URL.
            return StageError(error.isTransient ? .transient : .permanent, code: "download_failed", message: "recording download failed (curl \(code)): \(message)")
        }
    }
}
