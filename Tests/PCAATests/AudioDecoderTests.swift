import Foundation
import Hummingbird
import PCAACore
import PCAAPipeline
import PCAASpeech
import Testing

/// Recordings that are not PCM WAV: converted by an installed decoder (sox here; ffmpeg when present), refused
/// with a clear permanent error when there is none or the bytes are not audio at all.
@Suite("AudioDecoder")
struct AudioDecoderTests {
    static let sox = AudioDecoder.installed(environment: ["PATH": "/usr/bin:/bin"]).flatMap { $0.tool == .sox ? $0 : nil }
        ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/sox") ? AudioDecoder(tool: .sox, executable: "/usr/bin/sox") : nil)

    /// `Tests/Fixtures/<fixture>` converted by sox with `arguments` (e.g. μ-law WAV, FLAC).
    private func converted(_ fixture: String, to name: String, _ arguments: [String]) throws -> [UInt8] {
        let output = TestDaemon.temporaryDirectory() + "/" + name
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
        process.arguments = [Fixture.root + "/Tests/Fixtures/" + fixture] + arguments + [output]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    private func fetch(_ bytes: [UInt8], decoder: AudioDecoder?) async throws -> Result<AudioFile, StageError> {
        let router = Router()
        router.get("rec") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bytes))) }
        var outcome: Result<AudioFile, StageError>?
        try await withLoopbackServer(router) { base in
            let fetcher = RecordingFetcher(directory: TestDaemon.temporaryDirectory(), maxBytes: 50 << 20, timeoutSeconds: 30,
                                           connectTimeoutSeconds: 5, decoder: decoder)
            do {
                outcome = .success(try await fetcher.fetch(url: base + "/rec", bid: "b1", callid: "call-1"))
            } catch let error as StageError {
                outcome = .failure(error)
            }
        }
        return try #require(outcome)
    }

    @Test(.enabled(if: sox != nil, "sox is not installed"))
    func muLawTelephonyWAVIsConverted() async throws {
        let bytes = try converted("support_card_block.mono.wav", to: "ulaw.wav", ["-r", "8000", "-e", "u-law", "-b", "8"])
        #expect(throws: AudioFormatError.self) {
            let path = TestDaemon.temporaryDirectory() + "/raw.wav"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = try WAVInfo.read(path: path)
        }
        let audio = try await fetch(bytes, decoder: Self.sox).get()
        #expect(audio.bitsPerSample == 16)
        #expect(audio.sampleRate == 8000)
        #expect(audio.channels == 1)
        #expect(abs(audio.durationSeconds - 27.8855) < 0.01)
        #expect(audio.path.hasSuffix("/b1/call-1.wav"))
        #expect(try WAVInfo.read(path: audio.path).bitsPerSample == 16)
        // Nothing but the converted recording is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: (audio.path as NSString).deletingLastPathComponent)
        #expect(left == ["call-1.wav"])
    }

    @Test(.enabled(if: sox != nil, "sox is not installed"))
    func stereoFLACIsConvertedKeepingChannels() async throws {
        let bytes = try converted("presales_broadband.stereo.wav", to: "call.flac", [])
        let audio = try await fetch(bytes, decoder: Self.sox).get()
        #expect(audio.channels == 2)
        #expect(abs(audio.durationSeconds - 27.8) < 0.01)
    }

    @Test func withoutADecoderOtherFormatsAreRefusedWithAHint() async throws {
        let flacLike = Array("fLaC".utf8) + [UInt8](repeating: 7, count: 4000)
        guard case .failure(let error) = try await fetch(flacLike, decoder: nil) else { Issue.record("accepted"); return }
        #expect(error.kind == .permanent)
        #expect(error.code == "unsupported_audio")
        #expect(error.message.contains("install ffmpeg or sox"))
    }

    @Test(.enabled(if: sox != nil, "sox is not installed"))
    func bytesThatAreNoAudioAreRefusedWithTheToolsReason() async throws {
        let junk = Array("<html><body>Access denied</body></html>".utf8)
        guard case .failure(let error) = try await fetch(junk, decoder: Self.sox) else { Issue.record("accepted"); return }
        #expect(error.kind == .permanent)
        #expect(error.code == "unsupported_audio")
        #expect(error.message.contains("sox"))
    }

    @Test func sniffingNamesCommonContainers() throws {
        let directory = TestDaemon.temporaryDirectory()
        for (head, type) in [("ID3\u{3}", "mp3"), ("fLaC", "flac"), ("OggS", "ogg"), ("RIFF", "wav"), ("#!AMR\n", "amr-nb")] {
            let path = directory + "/" + type
            try Data(head.utf8).write(to: URL(fileURLWithPath: path))
            let arguments = AudioDecoder(tool: .sox, executable: "/usr/bin/sox").arguments(input: path, output: "/tmp/x.wav")
            #expect(arguments.contains(type), "\(type): \(arguments)")
        }
    }
}
