import Foundation
import Hummingbird
import PCAACore
import PCAASpeech
import PCAASTT
import Testing

/// Recordings longer than an engine's per-request limit (OpenAI's 25 MiB) are cut at silences, sent piece by
/// piece and stitched on the call's timeline, word timings included.
@Suite("ChunkedTranscription")
struct ChunkedTranscriptionTests {
    @Test func uploadsOverTheCapAreChunkedAndStitchedWithWords() async throws {
        // Three plays of a 28 s call (84 s, ~2.7 MB at 16 kHz); a 1 MB cap means ~31 s per request.
        let audio = try Fixture.repeated("support_card_block.mono.wav", times: 3)
        let prepared = TestDaemon.temporaryDirectory()
        let channel = try AudioPreparer.prepare(input: audio.path, outputDirectory: prepared, splitChannels: false)[0]
        let file = AudioFile(path: channel.path, sampleRate: channel.sampleRate, channels: 1, bitsPerSample: 16, durationSeconds: channel.durationSeconds)
        let cap = 1 << 20
        let limit = ChunkedTranscriber.maxSeconds(uploadBytes: cap)
        #expect(limit > 30 && limit < 33)

        let uploads = SecondsLog()
        let router = Router()
        router.post("v1/audio/transcriptions") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 20)
            let parts = try parseMultipart(Data(body.readableBytesView), contentType: request.headers[.contentType] ?? "")
            guard let filePart = parts.first(where: { $0.name == "file" }), let seconds = wavSeconds([UInt8](filePart.body)) else {
                return response(FakeReply(status: 400, body: jsonText(["error": ["message": "no file", "type": "invalid_request_error"]])))
            }
            let index = uploads.append(seconds: seconds, bytes: filePart.body.count)
            // One segment over the clip, with its words at the top level (OpenAI's shape).
            return response(.json(jsonText([
                "language": "english", "duration": seconds, "text": " piece \(index)",
                "segments": [["id": 0, "start": 0.0, "end": seconds, "text": " piece \(index) spoken", "avg_logprob": -0.2,
                              "no_speech_prob": 0.01, "compression_ratio": 1.2]],
                "words": [["word": " piece", "start": 0.5, "end": 0.9], ["word": " \(index)", "start": 1.0, "end": 1.4],
                          ["word": " spoken", "start": 1.5, "end": 2.0]],
            ])))
        }
        try await withLoopbackServer(router) { base in
            let client = OpenAITranscriptionClient(baseURL: base, apiKey: "k", model: "whisper-1", timeout: 30, maxUploadBytes: cap)
            let result = try await ChunkedTranscriber(engine: client, maxChunkSeconds: limit)
                .transcribe(audio: file, call: CallContext(bid: "b", callid: "c", language: "en", durationSeconds: 84))
            let sent = uploads.all
            #expect(sent.count == 3)
            #expect(sent.allSatisfy { $0.bytes <= cap && $0.seconds <= limit + 0.01 })
            #expect(abs(sent.map(\.seconds).reduce(0, +) - file.durationSeconds) < 0.05)
            #expect(result.segments.map(\.text) == ["piece 0 spoken", "piece 1 spoken", "piece 2 spoken"])
            // Each piece's times are moved to where the piece starts in the call.
            var offset = 0.0
            for (segment, upload) in zip(result.segments, sent) {
                #expect(abs(segment.start - offset) < 1e-6)
                #expect(segment.words?.map(\.word) == ["piece", segment.text.split(separator: " ")[1].description, "spoken"])
                #expect(abs((segment.words?.first?.start ?? 0) - (offset + 0.5)) < 1e-6)
                offset += upload.seconds
            }
            #expect(result.audioDurationSeconds == file.durationSeconds)
        }
    }
}

final class SecondsLog: @unchecked Sendable {
    struct Upload { var seconds: Double; var bytes: Int }
    private let lock = NSLock()
    private var uploads: [Upload] = []

    /// Records an upload and returns its index.
    func append(seconds: Double, bytes: Int) -> Int {
        lock.withLock { uploads.append(Upload(seconds: seconds, bytes: bytes)); return uploads.count - 1 }
    }

    var all: [Upload] { lock.withLock { uploads } }
}
