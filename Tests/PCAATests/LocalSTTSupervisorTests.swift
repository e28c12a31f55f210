import Foundation
import PCAACore
import PCAANet
import PCAAPipeline
import PCAASTT
import PCAASpeech
import ServiceLifecycle
import Testing

/// The supervisor of the local speech helper, run against a stand-in helper with the same command line and protocol.
@Suite struct LocalSTTSupervisorTests {
    static let standIn = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/stand_in_stt_helper.py").path

    static func settings() -> PCAAConfig.STT {
        var settings = PCAAConfig.STT()
        settings.localPython = "/usr/bin/python3"
        settings.localScript = standIn
        settings.localStartTimeoutSeconds = 20
        return settings
    }

    static func readyURL(_ endpoint: LocalSTTEndpoint) async -> String? {
        if case .ready(let url) = await endpoint.state { return url }
        return nil
    }

    @Test func killedHelperIsRestartedAndTheEngineRecovers() async throws {
        let endpoint = LocalSTTEndpoint()
        let supervisor = LocalSTTSupervisor(settings: Self.settings(), endpoint: endpoint)
        let group = ServiceGroup(configuration: .init(services: [supervisor], logger: .init(label: "test")))
        let runner = Task { try await group.run() }

        #expect(await eventually { await Self.readyURL(endpoint) != nil })
        let first = try #require(await Self.readyURL(endpoint))
        let client = CurlHTTPClient()
        let health = try await client.send(HTTPRequest(url: first + "/health")).json()
        let pid = try #require(health["pid"] as? Int)

        // A transcription through the engine works while the helper is up.
        let engine = LocalWhisperEngine(endpoint: endpoint, model: "default", timeout: 10)
        let wav = TestDaemon.temporaryDirectory() + "/one.wav"
        try Data(silence(seconds: 1)).write(to: URL(fileURLWithPath: wav))
        let audio = AudioFile(path: wav, sampleRate: 16_000, channels: 1, bitsPerSample: 16, durationSeconds: 1)
        let call = CallContext(bid: "6004", callid: "1", language: "en-IN", durationSeconds: 60)
        #expect(try await engine.transcribe(audio: audio, call: call).text.contains("stand-in"))

        // Kill it: calls fail transiently (the queue retries them) until the supervisor has a new helper up.
        kill(Int32(pid), SIGKILL)
        #expect(await eventually { await Self.readyURL(endpoint) != first })
        #expect(await eventually { await Self.readyURL(endpoint) != nil })
        #expect(try await engine.transcribe(audio: audio, call: call).text.contains("stand-in"))

        // Shutdown stops the helper.
        let last = try #require(await Self.readyURL(endpoint))
        await group.triggerGracefulShutdown()
        try await runner.value
        #expect((try? await client.send(HTTPRequest(url: last + "/health", timeout: 2, connectTimeout: 1))) == nil, "the helper is gone")
    }

    @Test func missingHelperMakesTheEngineFailPermanentlyWithTheReason() async throws {
        var settings = Self.settings()
        settings.localPython = "/nonexistent/python3"
        let endpoint = LocalSTTEndpoint()
        let group = ServiceGroup(configuration: .init(services: [LocalSTTSupervisor(settings: settings, endpoint: endpoint)], logger: .init(label: "test")))
        let runner = Task { try await group.run() }
        #expect(await eventually {
            if case .unavailable = await endpoint.state { return true }
            return false
        })
        let engine = LocalWhisperEngine(endpoint: endpoint, model: "default", timeout: 5)
        do {
            _ = try await engine.transcribe(audio: AudioFile(path: "/x.wav", sampleRate: 16_000, channels: 1, bitsPerSample: 16, durationSeconds: 1),
                                            call: CallContext(bid: "6004", callid: "1", language: "en", durationSeconds: 60))
            Issue.record("expected stt_unavailable")
        } catch let error as StageError {
            #expect(error.kind == .permanent && error.code == "stt_unavailable" && error.message.contains("stt/setup.sh"))
        }
        await group.triggerGracefulShutdown()
        try await runner.value
    }
}

/// `seconds` of 16 kHz mono silence as a WAV file's bytes.
private func silence(seconds: Int) -> [UInt8] {
    WAVInfo.pcm16Header(sampleRate: 16_000, channels: 1, dataBytes: 32_000 * seconds) + [UInt8](repeating: 0, count: 32_000 * seconds)
}
