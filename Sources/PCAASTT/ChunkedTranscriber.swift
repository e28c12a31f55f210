import Foundation
import PCAACore
import PCAASpeech

/// Feeds an engine that takes limited audio per request (Sarvam's synchronous endpoint: about 30 s; OpenAI: 25 MiB)
/// with pieces of a prepared mono WAV cut inside silences, then stitches the replies back on one timeline.
///
/// Cuts come from ``SpeechActivity/chunkBoundaries(speech:maxChunkSeconds:duration:)``, so a word is only split
/// when one utterance is longer than the limit. Each piece is written next to the input, sent, and removed. A file
/// within the limit is passed through untouched. Speaker labels are not stitched (each request has its own), so
/// this wrapper is for per-channel or non-diarized transcription.
public struct ChunkedTranscriber: SpeechToText {
    public let engine: any SpeechToText
    public let maxChunkSeconds: Double
    public var name: String { engine.name }

    public init(engine: any SpeechToText, maxChunkSeconds: Double) {
        precondition(maxChunkSeconds > 1, "chunks must be longer than a second")
        self.engine = engine
        self.maxChunkSeconds = maxChunkSeconds
    }

    /// The longest 16-bit mono chunk at `sampleRate` that fits in `bytes` (header included).
    public static func maxSeconds(uploadBytes: Int, sampleRate: Int = 16_000) -> Double {
        Double(max(0, uploadBytes - 4096)) / Double(2 * sampleRate)
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        guard audio.durationSeconds > maxChunkSeconds else {
            return try await engine.transcribe(audio: audio, call: call)
        }
        let chunks: [ClosedRange<Double>]
        do {
            let speech = try SpeechActivity.segments(path: audio.path)
            chunks = SpeechActivity.chunkBoundaries(speech: speech, maxChunkSeconds: maxChunkSeconds, duration: audio.durationSeconds)
        } catch {
            throw StageError.permanent("unsupported_audio", "cannot read the prepared audio for chunking: \(error)")
        }
        var segments: [TranscriptSegment] = []
        var language: String?
        var model: String?
        for (index, range) in chunks.enumerated() {
            let piece = audio.path + ".chunk\(index).wav"
            defer { try? FileManager.default.removeItem(atPath: piece) }
            do {
                try SpeechActivity.extract(path: audio.path, range: range, to: piece)
            } catch {
                throw StageError.transient("storage_unavailable", "cannot write an audio chunk: \(error)")
            }
            let file = AudioFile(path: piece, sampleRate: audio.sampleRate, channels: audio.channels, bitsPerSample: 16,
                                 durationSeconds: range.upperBound - range.lowerBound)
            let result = try await engine.transcribe(audio: file, call: call)
            segments += result.segments.map { $0.shifted(by: range.lowerBound) }
            language = language ?? result.language
            model = model ?? result.model
        }
        return TranscriptResult(text: segments.map(\.text).joined(separator: " "), segments: segments, language: language,
                                provider: engine.name, model: model, audioDurationSeconds: audio.durationSeconds)
    }
}
