import Foundation
import PCAAAnalysis
import PCAACore
import PCAADelivery
import PCAAPipeline

/// Stand-ins for external speech engines in pipeline tests (the real engines are tested against their fakes).
enum TestProviders {
    /// The built-in registry plus the test engines below.
    static func registry(dataDir: String, extra: [String: any SpeechToText] = [:]) -> ProviderRegistry {
        var registry = ProviderRegistry.builtIn(dataDir: dataDir)
        registry.speechToText["scripted"] = ScriptedSpeechToText()
        for (name, engine) in extra { registry.speechToText[name] = engine }
        return registry
    }
}

/// Returns a fixed two-party script timed to the audio's real duration, as an engine would for these fixtures.
struct ScriptedSpeechToText: SpeechToText {
    let name = "scripted"

    func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        let half = audio.durationSeconds / 2
        let segments = [
            TranscriptSegment(start: 0, end: half * 0.9, role: .agent, text: "Good morning, this is Richa calling from Mcube."),
            TranscriptSegment(start: half, end: audio.durationSeconds * 0.95, role: .customer, text: "Hello, yes, tell me about the plan."),
        ]
        return TranscriptResult(text: segments.map(\.text).joined(separator: " "), segments: segments, language: "en",
                                provider: name, model: "script", audioDurationSeconds: audio.durationSeconds)
    }
}

/// Fails with the given error a number of times (or forever), counting calls.
actor FailingSpeechToText: SpeechToText {
    nonisolated let name = "failing"
    let error: StageError
    var remainingFailures: Int
    private(set) var calls = 0

    init(error: StageError, failures: Int = .max) {
        self.error = error
        self.remainingFailures = failures
    }

    func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        calls += 1
        if remainingFailures > 0 {
            remainingFailures -= 1
            throw error
        }
        return try await ScriptedSpeechToText().transcribe(audio: audio, call: call)
    }

    func heal() { remainingFailures = 0 }
}

/// Takes `delay` before answering, counting how many transcriptions started and finished.
actor SlowSpeechToText: SpeechToText {
    nonisolated let name = "slow"
    let delay: Duration
    private(set) var started = 0
    private(set) var finished = 0

    init(delay: Duration) { self.delay = delay }

    func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        started += 1
        try await Task.sleep(for: delay)
        finished += 1
        return try await ScriptedSpeechToText().transcribe(audio: audio, call: call)
    }
}
