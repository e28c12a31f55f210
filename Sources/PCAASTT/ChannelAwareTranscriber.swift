import Foundation
import PCAACore
import PCAASpeech

/// Turns a recording into role-labelled turns with a per-file engine: a stereo call is split into one 16 kHz mono
/// file per channel, each transcribed on its own and labelled by the BID's channel map (default left = agent), then
/// merged by time; a mono call is resampled and transcribed once, with roles `unknown` (these engines do not
/// diarize, and guessing would be worse than saying so).
public struct ChannelAwareTranscriber: SpeechToText {
    public let engine: any SpeechToText
    public var name: String { engine.name }

    public init(engine: any SpeechToText) {
        self.engine = engine
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
        let roles = ChannelMap(call.channelMap)
        var segments: [TranscriptSegment] = []
        var language: String?
        var model: String?
        for channel in prepared {
            let file = AudioFile(path: channel.path, sampleRate: channel.sampleRate, channels: 1, bitsPerSample: 16,
                                 durationSeconds: channel.durationSeconds)
            let result = try await engine.transcribe(audio: file, call: call)
            let role = prepared.count == 2 ? roles.role(ofChannel: channel.channel) : .unknown
            segments += result.segments.map {
                TranscriptSegment(start: $0.start, end: $0.end, role: role, text: $0.text, speakerLabel: prepared.count == 2 ? "ch\(channel.channel)" : $0.speakerLabel)
            }
            language = language ?? result.language
            model = model ?? result.model
        }
        segments.sort { $0.start == $1.start ? $0.end < $1.end : $0.start < $1.start }
        return TranscriptResult(text: segments.map(\.text).joined(separator: " "), segments: segments, language: language,
                                provider: engine.name, model: model, audioDurationSeconds: audio.durationSeconds)
    }
}

/// `bid_config.channel_map`: which stereo channel carries the agent (`left=agent`, the default) or the customer.
struct ChannelMap {
    let leftIsAgent: Bool

    init(_ text: String) {
        leftIsAgent = text.replacingOccurrences(of: " ", with: "").lowercased() != "left=customer"
    }

    func role(ofChannel channel: Int) -> SpeakerRole {
        (channel == 0) == leftIsAgent ? .agent : .customer
    }
}
