import PCAACore

/// `stt_provider = "drill"`: for load tests and operator drills only. It answers at once with a placeholder
/// transcript that says what it is (two labelled turns timed to the real audio), so the rest of the pipeline
/// can be exercised without a speech engine. Never a default.
public struct DrillSpeechToText: SpeechToText {
    public let name = "drill"

    public init() {}

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        let duration = max(audio.durationSeconds, 0.1)
        let segments = [
            TranscriptSegment(start: 0, end: duration * 0.45, role: .agent, text: "[drill placeholder: agent turn]"),
            TranscriptSegment(start: duration * 0.5, end: duration * 0.95, role: .customer, text: "[drill placeholder: customer turn]"),
        ]
        return TranscriptResult(text: segments.map(\.text).joined(separator: " "), segments: segments, language: call.language,
                                provider: name, model: "placeholder", audioDurationSeconds: audio.durationSeconds)
    }
}
