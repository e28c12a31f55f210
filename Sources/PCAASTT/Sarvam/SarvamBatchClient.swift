import Foundation
import PCAACore
import PCAANet

/// A whole recording through Sarvam's batch job API (`/speech-to-text/job/v1`), the path with diarization:
/// create the job (`with_diarization`, `num_speakers: 2`), ask for an upload URL and `PUT` the file there
/// (`x-ms-blob-type: BlockBlob`; the subscription key is never sent to the blob store), start, poll the status
/// every `pollInterval` until `Completed` or `Failed`, then fetch the output JSON through a download URL.
///
/// Segments carry Sarvam's `speaker_id` as their `speakerLabel`; the caller maps speakers to roles. The job
/// must finish within `settings.timeout` or the call is retried later (`stt_timeout`).
public struct SarvamBatchClient: SpeechToText {
    public let name = "sarvam"
    public let settings: SarvamSettings
    private let http = CurlHTTPClient(userAgent: "pcaa")

    public init(settings: SarvamSettings) {
        self.settings = settings
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        let errors = TranscriptionErrorMapper(provider: name, secret: settings.apiKey)
        let deadline = ContinuousClock.now + .seconds(settings.timeout)
        let fileName = "\(call.callid.isEmpty ? "call" : call.callid).wav"

        let parameters = JobParameters(
            model: settings.model, mode: settings.sendsMode ? settings.mode : nil,
            languageCode: TranscriptionLanguage.sarvamCode(from: call.language))
        let created: JobCreated = try await postJSON("/speech-to-text/job/v1", JobRequest(jobParameters: parameters), errors: errors)
        let jobID = created.jobId
        guard SarvamBatchClient.isSafeJobID(jobID) else { throw errors.badResponse("job id \(errors.snippet(Array(jobID.utf8))) is not usable in a URL") }

        let uploads: FileURLs = try await postJSON(
            "/speech-to-text/job/v1/upload-files", FilesRequest(jobId: jobID, files: [fileName]), errors: errors)
        guard let uploadURL = uploads.urls[fileName]?.fileUrl else {
            throw errors.badResponse("upload-files named no URL for \(fileName)")
        }
        try await uploadBlob(audio.path, to: uploadURL, errors: errors)

        let _: JobState = try await postJSON("/speech-to-text/job/v1/\(jobID)/start", EmptyRequest(), errors: errors)
        let finished = try await poll(jobID: jobID, deadline: deadline, errors: errors)
        let outputs = finished.outputFileNames
        guard let output = outputs.first else { throw errors.badResponse("job \(jobID) completed without an output file") }

        let downloads: FileURLs = try await postJSON(
            "/speech-to-text/job/v1/download-files", FilesRequest(jobId: jobID, files: [output]), errors: errors)
        guard let downloadURL = downloads.urls[output]?.fileUrl else {
            throw errors.badResponse("download-files named no URL for \(output)")
        }
        let result: BatchOutput = try await fetchBlob(downloadURL, errors: errors)
        let segments = result.segments()
        return TranscriptResult(
            text: segments.map(\.text).joined(separator: " "), segments: segments,
            language: result.languageCode.flatMap(TranscriptionLanguage.normalizeReported),
            provider: name, model: settings.model, audioDurationSeconds: audio.durationSeconds)
    }

    // MARK: Steps

    private func poll(jobID: String, deadline: ContinuousClock.Instant, errors: TranscriptionErrorMapper) async throws -> JobState {
        while true {
            let state: JobState = try await getJSON("/speech-to-text/job/v1/\(jobID)/status", errors: errors)
            switch state.jobState.lowercased() {
            case "completed":
                return state
            case "failed":
                let reason = state.failureReason ?? "no reason given"
                let text = errors.redact("sarvam: batch job \(jobID) failed: \(reason.prefix(300))")
                // Bad input will fail again; anything else (their side) is worth a later retry.
                let permanent = ["invalid", "unsupported", "corrupt", "decode", "duration", "format", "empty"].contains { reason.lowercased().contains($0) }
                throw permanent ? StageError.permanent("stt_job_failed", text) : StageError.transient("stt_job_failed", text)
            default:
                guard ContinuousClock.now + .seconds(settings.pollInterval) < deadline else {
                    throw StageError.transient("stt_timeout", "sarvam: batch job \(jobID) still \(state.jobState) after \(Int(settings.timeout)) s")
                }
                try await Task.sleep(for: .seconds(settings.pollInterval))
            }
        }
    }

    private func uploadBlob(_ path: String, to url: String, errors: TranscriptionErrorMapper) async throws {
        let response: PCAANet.HTTPResponse
        do {
            response = try await http.upload(
                method: "PUT", url: url,
                headers: [(name: "x-ms-blob-type", value: "BlockBlob"), (name: "Content-Type", value: "audio/wav")],
                filePath: path, timeout: settings.timeout, connectTimeout: min(10, settings.timeout))
        } catch let error as HTTPClientError {
            throw errors.error(transport: error)
        }
        guard (200..<300).contains(response.status) else {
            throw errors.error(status: response.status, headers: response.headers, body: response.body)
        }
    }

    private func fetchBlob<T: Decodable>(_ url: String, errors: TranscriptionErrorMapper) async throws -> T {
        try await send(PCAANet.HTTPRequest(method: "GET", url: url, headers: [(name: "Accept", value: "application/json")],
                                           timeout: settings.timeout, connectTimeout: min(10, settings.timeout)), errors: errors)
    }

    private func postJSON<T: Decodable>(_ path: String, _ body: some Encodable, errors: TranscriptionErrorMapper) async throws -> T {
        let bytes = Array((try? JSONEncoder().encode(body)) ?? Data("{}".utf8))
        return try await send(PCAANet.HTTPRequest(
            method: "POST", url: settings.url(path), headers: settings.authHeaders + [(name: "Content-Type", value: "application/json")],
            body: bytes, timeout: min(60, settings.timeout), connectTimeout: min(10, settings.timeout)), errors: errors)
    }

    private func getJSON<T: Decodable>(_ path: String, errors: TranscriptionErrorMapper) async throws -> T {
        try await send(PCAANet.HTTPRequest(method: "GET", url: settings.url(path), headers: settings.authHeaders,
                                           timeout: min(60, settings.timeout), connectTimeout: min(10, settings.timeout)), errors: errors)
    }

    private func send<T: Decodable>(_ request: PCAANet.HTTPRequest, errors: TranscriptionErrorMapper) async throws -> T {
        let response: PCAANet.HTTPResponse
        do {
            response = try await http.send(request, maxResponseBytes: 64 << 20)
        } catch let error as HTTPClientError {
            throw errors.error(transport: error)
        }
        guard (200..<300).contains(response.status) else {
            throw errors.error(status: response.status, headers: response.headers, body: response.body)
        }
        return try SarvamJSON.decode(response.body, errors: errors)
    }

    /// Job ids go into URL paths: letters, digits, `-` and `_` only.
    static func isSafeJobID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128 && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}

// MARK: Request shapes

/// `{"job_parameters": {…}}`: always diarized, two speakers, with timestamps.
struct JobRequest: Encodable {
    var jobParameters: JobParameters
    enum CodingKeys: String, CodingKey { case jobParameters = "job_parameters" }
}

struct JobParameters: Encodable {
    var model: String
    var mode: String?
    var languageCode: String
    var withDiarization = true
    var numSpeakers = 2
    var withTimestamps = true

    enum CodingKeys: String, CodingKey {
        case model, mode
        case languageCode = "language_code", withDiarization = "with_diarization", numSpeakers = "num_speakers"
        case withTimestamps = "with_timestamps"
    }
}

/// `{"job_id", "files": [names]}` for upload-files and download-files.
struct FilesRequest: Encodable {
    var jobId: String
    var files: [String]
    enum CodingKeys: String, CodingKey { case jobId = "job_id", files }
}

struct EmptyRequest: Encodable {}

// MARK: Reply shapes

/// `{job_id, job_state}` from job creation.
struct JobCreated: Decodable {
    var jobId: String
    enum CodingKeys: String, CodingKey { case jobId = "job_id" }
}

/// `{job_state, job_details:[{outputs:[{file_name}], state, error_message}], error_message}`.
struct JobState: Decodable {
    struct Detail: Decodable {
        struct File: Decodable {
            var fileName: String
            enum CodingKeys: String, CodingKey { case fileName = "file_name" }
        }
        var outputs: [File]?
        var state: String?
        var errorMessage: String?
        enum CodingKeys: String, CodingKey { case outputs, state; case errorMessage = "error_message" }
    }

    var jobState: String
    var jobDetails: [Detail]?
    var errorMessage: String?

    enum CodingKeys: String, CodingKey {
        case jobState = "job_state", jobDetails = "job_details", errorMessage = "error_message"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // `start` may answer with a bare acknowledgement; treat a missing state as not finished.
        jobState = try container.decodeIfPresent(String.self, forKey: .jobState) ?? "Pending"
        jobDetails = try container.decodeIfPresent([Detail].self, forKey: .jobDetails)
        errorMessage = try container.decodeIfPresent(String.self, forKey: .errorMessage)
    }

    var outputFileNames: [String] { (jobDetails ?? []).flatMap { $0.outputs ?? [] }.map(\.fileName) }
    var failureReason: String? { errorMessage ?? jobDetails?.compactMap(\.errorMessage).first }
}

/// `{upload_urls|download_urls: {name: {file_url}}}`.
struct FileURLs: Decodable {
    struct Location: Decodable {
        var fileUrl: String
        enum CodingKeys: String, CodingKey { case fileUrl = "file_url" }
    }
    var urls: [String: Location]

    enum CodingKeys: String, CodingKey { case uploadUrls = "upload_urls", downloadUrls = "download_urls" }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        urls = try container.decodeIfPresent([String: Location].self, forKey: .uploadUrls)
            ?? container.decode([String: Location].self, forKey: .downloadUrls)
    }
}

/// The job's output file: `{transcript, language_code, diarized_transcript:{entries:[{transcript,
/// start_time_seconds, end_time_seconds, speaker_id}]}}`.
struct BatchOutput: Decodable {
    struct Entry: Decodable {
        var transcript: String
        var startTimeSeconds: Double
        var endTimeSeconds: Double
        var speakerId: String?
        enum CodingKeys: String, CodingKey {
            case transcript
            case startTimeSeconds = "start_time_seconds", endTimeSeconds = "end_time_seconds", speakerId = "speaker_id"
        }
    }
    struct Diarized: Decodable { var entries: [Entry] }

    var transcript: String?
    var languageCode: String?
    var diarizedTranscript: Diarized?
    var timestamps: SarvamSyncReply.Timestamps?

    enum CodingKeys: String, CodingKey {
        case transcript, timestamps
        case languageCode = "language_code", diarizedTranscript = "diarized_transcript"
    }

    /// Diarized entries (speaker labels kept); else timestamped phrases; else the whole transcript unlabelled.
    func segments() -> [TranscriptSegment] {
        if let entries = diarizedTranscript?.entries, !entries.isEmpty {
            return entries.compactMap { entry in
                let text = entry.transcript.trimmingSpaces
                guard !text.isEmpty, entry.startTimeSeconds.isFinite, entry.endTimeSeconds >= entry.startTimeSeconds else { return nil }
                return TranscriptSegment(start: entry.startTimeSeconds, end: entry.endTimeSeconds, role: .unknown, text: text,
                                         speakerLabel: entry.speakerId.map { "speaker_\($0)" })
            }.sorted { $0.start < $1.start }
        }
        let fallback = SarvamSyncReply(requestId: nil, transcript: transcript ?? "", languageCode: languageCode, timestamps: timestamps)
        return fallback.segments(clipDuration: 0)
    }
}
