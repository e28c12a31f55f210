import Foundation
import PCAACore
import PCAASpeech

/// Turns a recording into role-labelled turns with engines that take one prepared file at a time.
///
/// A stereo call is split into one 16 kHz mono file per channel, each transcribed by `channelEngine` and labelled
/// by the BID's channel map (``ChannelMap``: fixed or direction-aware), then merged by time. A mono call is
/// resampled once and given to `monoEngine`; when that engine diarizes (its segments carry speaker labels) the
/// speakers become roles by the BID's ``FirstSpeakerRule``, otherwise every turn is `unknown` rather than a guess.
public struct ChannelAwareTranscriber: SpeechToText {
    public let channelEngine: any SpeechToText
    public let monoEngine: any SpeechToText
    public var name: String { channelEngine.name }

    /// One engine for both kinds of recording.
    public init(engine: any SpeechToText) {
        self.init(channelEngine: engine, monoEngine: engine)
    }

    public init(channelEngine: any SpeechToText, monoEngine: any SpeechToText) {
        self.channelEngine = channelEngine
        self.monoEngine = monoEngine
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        let work = (audio.path as NSString).deletingLastPathComponent + "/.prepared-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let prepared: [PreparedChannel]
        do {
            prepared = try AudioPreparer.prepare(input: audio.path, outputDirectory: work, splitChannels: audio.channels == 2)
        } catch let error as AudioFormatError {
            throw StageError.permanent("unsupported_audio", "recording cannot be prepared for speech-to-text: \(error)")
        } catch {
            throw StageError.transient("storage_unavailable", "cannot write prepared audio: \(error.localizedDescription)")
        }
        if prepared.count == 1 {
            return try await transcribeMono(prepared[0], audio: audio, call: call)
        }
        var segments: [TranscriptSegment] = []
        var language: String?
        var model: String?
        for channel in prepared {
            let result = try await channelEngine.transcribe(audio: Self.file(channel), call: call)
            let role = call.channels.role(ofChannel: channel.channel, direction: call.direction)
            segments += result.segments.map {
                var segment = $0
                segment.role = role
                segment.speakerLabel = "ch\(channel.channel)"
                return segment
            }
            language = language ?? result.language
            model = model ?? result.model
        }
        segments.sort { $0.start == $1.start ? $0.end < $1.end : $0.start < $1.start }
        return TranscriptResult(text: segments.map(\.text).joined(separator: " "), segments: segments, language: language,
                                provider: channelEngine.name, model: model, audioDurationSeconds: audio.durationSeconds)
    }

    private func transcribeMono(_ channel: PreparedChannel, audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        var result = try await monoEngine.transcribe(audio: Self.file(channel), call: call)
        let diarized = result.segments.contains { $0.speakerLabel != nil }
        result.segments = diarized
            ? call.speakerRule.label(result.segments, direction: call.direction)
            : result.segments.map { var segment = $0; segment.role = .unknown; return segment }
        result.audioDurationSeconds = audio.durationSeconds
        return result
    }

    private static func file(_ channel: PreparedChannel) -> AudioFile {
        AudioFile(path: channel.path, sampleRate: channel.sampleRate, channels: 1, bitsPerSample: 16, durationSeconds: channel.durationSeconds)
    }
}
