import Foundation
import PCAACore
import PCAANet
import PCAASpeech

/// Downloads a call's recording with libcurl (size limit, timeout, streamed to disk) and reads its WAV header.
public struct RecordingFetcher: Sendable {
    public let directory: String
    public let maxBytes: Int64
    public let timeoutSeconds: Double
    public let connectTimeoutSeconds: Double
    let client: CurlHTTPClient

    public init(directory: String, maxBytes: Int64, timeoutSeconds: Double, connectTimeoutSeconds: Double) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
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
        let result: DownloadResult
        do {
            result = try await client.download(url: url, to: target, maxBytes: maxBytes, timeout: timeoutSeconds, connectTimeout: connectTimeoutSeconds)
        } catch let error as HTTPClientError {
            throw Self.stageError(for: error)
        }
        guard (200..<300).contains(result.status) else {
            throw Self.stageError(status: result.status)
        }
        do {
            let info = try WAVInfo.read(path: target)
            return Self.audioFile(path: target, info: info)
        } catch let error as AudioFormatError {
            try? FileManager.default.removeItem(atPath: target)
            throw StageError.permanent("unsupported_audio", "recording is not usable audio: \(error)")
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
