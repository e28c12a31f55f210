import PCAACore

/// `stt_provider = "local"`: pcaa's supervised faster-whisper helper, reached through the OpenAI-compatible
/// protocol at whatever loopback address the supervisor last saw healthy. While the helper is (re)starting the
/// call is retried later; when it is not installed the call fails with the reason.
public struct LocalWhisperEngine: SpeechToText {
    public let name = "local"
    let endpoint: LocalSTTEndpoint
    let model: String
    let timeout: Double

    public init(endpoint: LocalSTTEndpoint, model: String, timeout: Double) {
        self.endpoint = endpoint
        self.model = model
        self.timeout = timeout
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        switch await endpoint.state {
        case .unavailable(let reason):
            throw StageError.permanent("stt_unavailable", reason)
        case .starting:
            throw StageError.transient("stt_local_starting", "the local speech helper is starting or restarting", retryAfter: 5)
        case .ready(let baseURL):
            let client = OpenAITranscriptionClient(name: name, baseURL: baseURL, apiKey: nil, model: model, timeout: timeout,
                                                   maxUploadBytes: Int.max)
            return try await client.transcribe(audio: audio, call: call)
        }
    }
}
