import Foundation
import PCAACore

/// The body of an OpenAI-compatible `verbose_json` transcription reply, or of an error reply.
///
/// `{language, duration, text, segments:[{start, end, text, avg_logprob, no_speech_prob, compression_ratio}], words?}`;
/// whisper.cpp's server may instead send `{"error": "…"}` with HTTP 200, so `error` is decoded too.
struct VerboseTranscription: Decodable {
    struct Segment: Decodable {
        var start: Double
        var end: Double
        var text: String
        var avgLogprob: Double?
        var noSpeechProb: Double?
        var compressionRatio: Double?
        /// whisper.cpp nests the words in their segment.
        var words: [Word]?

        enum CodingKeys: String, CodingKey {
            case start, end, text, words
            case avgLogprob = "avg_logprob"
            case noSpeechProb = "no_speech_prob"
            case compressionRatio = "compression_ratio"
        }
    }

    /// A word timing (`timestamp_granularities[]=word`).
    struct Word: Decodable {
        var word: String
        var start: Double
        var end: Double
        var probability: Double?
    }

    var language: String?
    var duration: Double?
    var text: String?
    var segments: [Segment]?
    /// OpenAI's top-level word list.
    var words: [Word]?
    var error: ProviderErrorPayload?

    enum CodingKeys: String, CodingKey { case language, duration, text, segments, words, error }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // An `error` member of any shape marks the reply as failed, whatever else it holds.
        if container.contains(.error), try !container.decodeNil(forKey: .error) {
            error = (try? container.decode(ProviderErrorPayload.self, forKey: .error)) ?? ProviderErrorPayload()
            return
        }
        language = try container.decodeIfPresent(String.self, forKey: .language)
        duration = try container.decodeIfPresent(Double.self, forKey: .duration)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        segments = try container.decodeIfPresent([Segment].self, forKey: .segments)
        // Words are a bonus: a malformed list is ignored rather than failing the transcript.
        words = try? container.decodeIfPresent([Word].self, forKey: .words)
    }
}

/// The `error` member of a provider reply: OpenAI's `{"message","type","code"}` object or whisper.cpp's bare string.
struct ProviderErrorPayload: Decodable, Equatable {
    var message: String?
    var type: String?
    /// `code` as text (providers send strings, numbers or null).
    var code: String?

    init(message: String? = nil, type: String? = nil, code: String? = nil) {
        self.message = message
        self.type = type
        self.code = code
    }

    enum CodingKeys: String, CodingKey { case message, type, code }

    init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            message = text
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
            code = text
        } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
            code = String(number)
        }
    }
}

/// A non-2xx error body: `{"error": …}` (OpenAI), `{"detail": "…"}` (FastAPI servers) or `{"message": "…"}`.
struct ProviderErrorEnvelope: Decodable {
    var error: ProviderErrorPayload?
    var detail: String?
    var message: String?
    /// Deepgram's `{"err_code", "err_msg", "request_id"}`.
    var errCode: String?
    var errMsg: String?

    enum CodingKeys: String, CodingKey {
        case error, detail, message
        case errCode = "err_code", errMsg = "err_msg"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        error = try? container.decodeIfPresent(ProviderErrorPayload.self, forKey: .error)
        detail = try? container.decodeIfPresent(String.self, forKey: .detail)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        errCode = try? container.decodeIfPresent(String.self, forKey: .errCode)
        errMsg = try? container.decodeIfPresent(String.self, forKey: .errMsg)
    }

    /// The most specific error payload the body holds.
    var payload: ProviderErrorPayload? {
        if let error { return error }
        if errCode != nil || errMsg != nil { return ProviderErrorPayload(message: errMsg, code: errCode) }
        if let text = detail ?? message { return ProviderErrorPayload(message: text) }
        return nil
    }
}

extension VerboseTranscription {
    /// Decodes a 2xx body. Throws `StageError` for a JSON error reply or a body that is not a transcription.
    static func decode(_ body: [UInt8], errors: TranscriptionErrorMapper) throws(StageError) -> VerboseTranscription {
        let reply: VerboseTranscription
        do {
            reply = try JSONDecoder().decode(VerboseTranscription.self, from: Data(body))
        } catch {
            throw errors.badResponse("reply is not verbose_json (\(Self.summary(of: error))); body starts with \(errors.snippet(body))")
        }
        if let payload = reply.error { throw errors.errorReply(payload) }
        guard reply.segments != nil else {
            throw errors.badResponse("reply has no \"segments\" (was response_format=verbose_json honoured?); body starts with \(errors.snippet(body))")
        }
        guard reply.text != nil else {
            throw errors.badResponse("reply has no \"text\"; body starts with \(errors.snippet(body))")
        }
        return reply
    }

    /// Applies the hallucination guard and builds pcaa's transcript. Roles are left `.unknown` for the caller.
    func transcript(
        guard hallucinationGuard: HallucinationGuard, provider: String, model: String,
        requestedLanguage: String?, audio: AudioFile
    ) -> TranscriptResult {
        var kept: [TranscriptSegment] = []
        for segment in segments ?? [] {
            let text = segment.text.trimmingSpaces
            guard hallucinationGuard.keeps(
                text: text, noSpeechProbability: segment.noSpeechProb,
                averageLogProbability: segment.avgLogprob, compressionRatio: segment.compressionRatio)
            else { continue }
            kept.append(TranscriptSegment(start: segment.start, end: segment.end, role: .unknown, text: text, words: words(of: segment)))
        }
        let reportedLanguage = language.flatMap(TranscriptionLanguage.normalizeReported)
        let reportedDuration = duration.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        return TranscriptResult(
            text: kept.map(\.text).joined(separator: " "),
            segments: kept,
            language: reportedLanguage ?? requestedLanguage,
            provider: provider,
            model: model,
            audioDurationSeconds: reportedDuration ?? audio.durationSeconds)
    }

    /// The segment's word timings: its own nested list, else the top-level words whose middle falls inside it.
    private func words(of segment: Segment) -> [TranscriptWord]? {
        let source = segment.words ?? words?.filter { word in
            let middle = (word.start + word.end) / 2
            return middle >= segment.start && middle < segment.end
        }
        let converted = (source ?? []).compactMap { word -> TranscriptWord? in
            let text = word.word.trimmingSpaces
            guard !text.isEmpty, word.start.isFinite, word.end.isFinite else { return nil }
            return TranscriptWord(word: text, start: word.start, end: word.end, confidence: word.probability)
        }
        return converted.isEmpty ? nil : converted
    }

    /// A one-line description of a decoding failure, without the payload.
    static func summary(of error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON" : "invalid value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath))"
        @unknown default:
            return "undecodable JSON"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
