import Foundation
import PCAACore
import PCAANet

/// Deepgram's pre-recorded `POST /v1/listen`, sending the recording itself as the body (`Content-Type: audio/wav`,
/// `Authorization: Token KEY`), with `utterances=true` and `smart_format=true`.
///
/// A stereo call is sent once with `multichannel=true`; each utterance's `channel` becomes a role through the
/// BID's ``ChannelMap``. A mono call is sent with `diarize=true`; each utterance's `speaker` becomes a label and
/// the BID's ``FirstSpeakerRule`` turns labels into roles. Word timings are kept.
public struct DeepgramClient: SpeechToText, CustomStringConvertible {
    public let name = "deepgram"
    public let baseURL: String
    public let model: String
    public let timeout: Double
    /// Utterances Deepgram itself is less sure of than this are treated as noise, not speech.
    public var minimumConfidence = 0.2
    private let apiKey: String
    private let http = CurlHTTPClient(userAgent: "pcaa")

    public init(baseURL: String = "https://api.deepgram.com", apiKey: String, model: String = "nova-3", timeout: Double = 600) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
    }

    public var description: String { "DeepgramClient(baseURL: \(baseURL), model: \(model), apiKey: [redacted])" }

    /// The request URL for a call: model, formatting, utterances, and multichannel or diarization.
    func endpoint(stereo: Bool, language: String) -> String {
        var base = baseURL.trimmingSpaces
        while base.hasSuffix("/") { base.removeLast() }
        var query = ["model=\(Self.escaped(model))", "smart_format=true", "punctuate=true", "utterances=true"]
        query.append(stereo ? "multichannel=true" : "diarize=true")
        query.append("language=\(Self.escaped(TranscriptionLanguage.deepgramCode(from: language)))")
        return base + "/v1/listen?" + query.joined(separator: "&")
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        let errors = TranscriptionErrorMapper(provider: name, secret: apiKey)
        let stereo = audio.channels == 2
        let response: PCAANet.HTTPResponse
        do {
            response = try await http.upload(
                method: "POST", url: endpoint(stereo: stereo, language: call.language),
                headers: [(name: "Authorization", value: "Token \(apiKey)"), (name: "Content-Type", value: "audio/wav"),
                          (name: "Accept", value: "application/json")],
                filePath: audio.path, timeout: timeout, connectTimeout: min(10, timeout), maxResponseBytes: 64 << 20)
        } catch let error as HTTPClientError {
            throw errors.error(transport: error)
        }
        guard (200..<300).contains(response.status) else {
            throw errors.error(status: response.status, headers: response.headers, body: response.body)
        }
        let reply: DeepgramReply
        do {
            reply = try JSONDecoder().decode(DeepgramReply.self, from: Data(response.body))
        } catch {
            throw errors.badResponse("reply is not a /v1/listen result (\(VerboseTranscription.summary(of: error))); body starts with \(errors.snippet(response.body))")
        }
        var segments = reply.segments(minimumConfidence: minimumConfidence)
        if stereo {
            segments = segments.map { segment in
                var labelled = segment
                let channel = Int(segment.speakerLabel?.dropFirst(2) ?? "") ?? -1
                labelled.role = call.channels.role(ofChannel: channel, direction: call.direction)
                return labelled
            }
        } else {
            segments = call.speakerRule.label(segments, direction: call.direction)
        }
        let language = reply.results.channels.first?.detectedLanguage.flatMap(TranscriptionLanguage.normalizeReported)
            ?? TranscriptionLanguage.iso639_1(from: call.language)
        return TranscriptResult(
            text: segments.map(\.text).joined(separator: " "), segments: segments, language: language,
            provider: name, model: model, audioDurationSeconds: reply.metadata?.duration ?? audio.durationSeconds)
    }

    private static func escaped(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}

/// `{metadata:{request_id, duration, channels}, results:{channels:[{alternatives:[{transcript, words}]}],
/// utterances:[{start, end, channel, speaker, transcript, confidence, words}]}}`.
struct DeepgramReply: Decodable {
    struct Word: Decodable {
        var word: String
        var punctuatedWord: String?
        var start: Double
        var end: Double
        var confidence: Double?
        var speaker: Int?
        enum CodingKeys: String, CodingKey { case word, start, end, confidence, speaker; case punctuatedWord = "punctuated_word" }

        var timing: TranscriptWord { TranscriptWord(word: punctuatedWord ?? word, start: start, end: end, confidence: confidence) }
    }
    struct Alternative: Decodable {
        var transcript: String
        var words: [Word]?
    }
    struct Channel: Decodable {
        var alternatives: [Alternative]
        var detectedLanguage: String?
        enum CodingKeys: String, CodingKey { case alternatives; case detectedLanguage = "detected_language" }
    }
    struct Utterance: Decodable {
        var start: Double
        var end: Double
        var channel: Int?
        var speaker: Int?
        var transcript: String
        var confidence: Double?
        var words: [Word]?
    }
    struct Results: Decodable {
        var channels: [Channel]
        var utterances: [Utterance]?
    }
    struct Metadata: Decodable {
        var duration: Double?
        var channels: Int?
    }

    var metadata: Metadata?
    var results: Results

    /// Utterances when present (channel or speaker as the label); else one segment per channel from its words.
    func segments(minimumConfidence: Double) -> [TranscriptSegment] {
        if let utterances = results.utterances {
            return utterances.compactMap { utterance -> TranscriptSegment? in
                let text = utterance.transcript.trimmingSpaces
                guard !text.isEmpty, (utterance.confidence ?? 1) >= minimumConfidence else { return nil }
                let label = utterance.speaker.map { "speaker_\($0)" } ?? utterance.channel.map { "ch\($0)" }
                var segment = TranscriptSegment(start: utterance.start, end: utterance.end, role: .unknown, text: text,
                                                speakerLabel: label, words: utterance.words.map { $0.map(\.timing) })
                if results.channels.count > 1 { segment.speakerLabel = "ch\(utterance.channel ?? 0)" }
                return segment
            }.sorted { $0.start == $1.start ? $0.end < $1.end : $0.start < $1.start }
        }
        return results.channels.enumerated().compactMap { index, channel -> TranscriptSegment? in
            guard let best = channel.alternatives.first else { return nil }
            let text = best.transcript.trimmingSpaces
            guard !text.isEmpty else { return nil }
            let words = best.words ?? []
            return TranscriptSegment(start: words.first?.start ?? 0, end: words.last?.end ?? 0, role: .unknown, text: text,
                                     speakerLabel: results.channels.count > 1 ? "ch\(index)" : nil,
                                     words: words.isEmpty ? nil : words.map(\.timing))
        }.sorted { $0.start < $1.start }
    }
}
