/// A downloaded recording, with what its header says.
public struct AudioFile: Sendable, Equatable {
    public var path: String
    public var sampleRate: Int
    public var channels: Int
    public var bitsPerSample: Int
    public var durationSeconds: Double

    public init(path: String, sampleRate: Int, channels: Int, bitsPerSample: Int, durationSeconds: Double) {
        self.path = path
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitsPerSample = bitsPerSample
        self.durationSeconds = durationSeconds
    }
}

/// Who is speaking in a transcript segment.
public enum SpeakerRole: String, Sendable, Codable, Equatable {
    case agent, customer, unknown
}

/// One recognised word with its timing (seconds from the start of the call), where the engine gives them.
public struct TranscriptWord: Sendable, Codable, Equatable {
    public var word: String
    public var start: Double
    public var end: Double
    public var confidence: Double?

    public init(word: String, start: Double, end: Double, confidence: Double? = nil) {
        self.word = word
        self.start = start
        self.end = end
        self.confidence = confidence
    }

    /// The same word moved by `offset` seconds.
    public func shifted(by offset: Double) -> TranscriptWord {
        TranscriptWord(word: word, start: start + offset, end: end + offset, confidence: confidence)
    }
}

/// One stretch of speech with its timing and speaker role.
public struct TranscriptSegment: Sendable, Codable, Equatable {
    public var start: Double
    public var end: Double
    public var role: SpeakerRole
    public var text: String
    /// The engine's own speaker name (`ch0`, Deepgram's `1`, Sarvam's `speaker_0`), kept for audits.
    public var speakerLabel: String?
    /// Word timings inside this segment; nil when the engine gives none.
    public var words: [TranscriptWord]?

    public init(start: Double, end: Double, role: SpeakerRole, text: String, speakerLabel: String? = nil, words: [TranscriptWord]? = nil) {
        self.start = start
        self.end = end
        self.role = role
        self.text = text
        self.speakerLabel = speakerLabel
        self.words = words
    }

    /// The same segment moved by `offset` seconds (words included).
    public func shifted(by offset: Double) -> TranscriptSegment {
        var copy = self
        copy.start += offset
        copy.end += offset
        copy.words = words?.map { $0.shifted(by: offset) }
        return copy
    }
}

/// A finished transcription, as stored in `transcripts`.
public struct TranscriptResult: Sendable, Codable, Equatable {
    public var text: String
    public var segments: [TranscriptSegment]
    public var language: String?
    public var provider: String
    public var model: String?
    public var audioDurationSeconds: Double

    public init(text: String, segments: [TranscriptSegment], language: String?, provider: String, model: String?, audioDurationSeconds: Double) {
        self.text = text
        self.segments = segments
        self.language = language
        self.provider = provider
        self.model = model
        self.audioDurationSeconds = audioDurationSeconds
    }
}

/// A speech-to-text engine. Throws `StageError` so the queue knows whether to retry.
public protocol SpeechToText: Sendable {
    var name: String { get }
    func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult
}
