import Foundation
import Logging
import PCAACore
import PCAAPipeline
import PCAASpeech
import PCAASTT
import ServiceLifecycle

/// `pcaa bench stt`: the local engine's word error rate and real-time factor per model on the fixture calls.
///
/// For each model the supervised helper is started (as `pcaa serve` does), then every stereo fixture
/// (`<name>.stereo.wav` with `<name>.agent.txt` / `<name>.customer.txt` references) is transcribed through the same
/// channel-aware path the pipeline uses: once sequentially (WER per role against the references, and RTF =
/// processing time / audio time), then `concurrency` calls at once (RTF = wall time / audio time: below 1 means
/// the box keeps up with real time at that concurrency).
public struct STTBench: Sendable {
    public var settings: PCAAConfig.STT
    public var models: [String]
    public var fixturesDirectory: String
    public var concurrency: Int
    public var language: String

    public init(settings: PCAAConfig.STT, models: [String], fixturesDirectory: String, concurrency: Int, language: String = "en-IN") {
        self.settings = settings
        self.models = models
        self.fixturesDirectory = fixturesDirectory
        self.concurrency = max(1, concurrency)
        self.language = language
    }

    /// One model's figures; `problem` says why there are none.
    public struct Row: Sendable {
        public var model: String
        public var calls = 0
        public var audioSeconds = 0.0
        public var referenceWords = 0
        public var edits = 0
        public var sequentialSeconds = 0.0
        public var concurrentWallSeconds = 0.0
        public var concurrentCalls = 0
        public var loadSeconds = 0.0
        public var problem: String?

        public var wer: Double { Double(edits) / Double(max(1, referenceWords)) }
        public var sequentialRTF: Double { sequentialSeconds / max(audioSeconds, 1e-9) }
        public var concurrentRTF: Double { concurrentWallSeconds / max(audioSeconds * Double(concurrentCalls) / Double(max(calls, 1)), 1e-9) }
    }

    struct Fixture {
        var name: String
        var path: String
        var references: [SpeakerRole: [String]]
    }

    /// The stereo fixtures with both reference scripts.
    func fixtures() throws -> [Fixture] {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixturesDirectory).filter { $0.hasSuffix(".stereo.wav") }.sorted()
        return try names.compactMap { file in
            let name = String(file.dropLast(".stereo.wav".count))
            var references: [SpeakerRole: [String]] = [:]
            for role in [SpeakerRole.agent, .customer] {
                let path = "\(fixturesDirectory)/\(name).\(role.rawValue).txt"
                guard FileManager.default.fileExists(atPath: path) else { return nil }
                references[role] = WordErrorRate.words(try String(contentsOfFile: path, encoding: .utf8))
            }
            return Fixture(name: name, path: "\(fixturesDirectory)/\(file)", references: references)
        }
    }

    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> [Row] {
        let fixtures = try fixtures()
        guard !fixtures.isEmpty else { throw BenchError("no <name>.stereo.wav fixtures with .agent.txt/.customer.txt references in \(fixturesDirectory)") }
        var rows: [Row] = []
        for model in models {
            progress("model \(model): starting the helper")
            rows.append(try await measure(model: model, fixtures: fixtures, progress: progress))
        }
        return rows
    }

    private func measure(model: String, fixtures: [Fixture], progress: @Sendable (String) -> Void) async throws -> Row {
        var row = Row(model: model)
        if let problem = modelProblem(model) {
            row.problem = problem
            return row
        }
        var settings = self.settings
        settings.localModel = model
        let endpoint = LocalSTTEndpoint()
        let group = ServiceGroup(configuration: .init(
            services: [LocalSTTSupervisor(settings: settings, endpoint: endpoint, logger: Logger(label: "stt_helper"))],
            logger: Logger(label: "bench")))
        let runner = Task { try await group.run() }
        defer { runner.cancel() }

        let loading = ContinuousClock.now
        let deadline = loading + .seconds(settings.localStartTimeoutSeconds)
        var ready = false
        while ContinuousClock.now < deadline {
            if case .ready = await endpoint.state { ready = true; break }
            if case .unavailable(let reason) = await endpoint.state { row.problem = reason; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        row.loadSeconds = Elapsed.seconds(since: loading)
        guard ready else {
            row.problem = row.problem ?? "the helper did not become ready within \(settings.localStartTimeoutSeconds) s (is the model installed? PCAA_STT_MODELS=\(model) stt/setup.sh)"
            await group.triggerGracefulShutdown()
            _ = try? await runner.value
            return row
        }
        let engine = ChannelAwareTranscriber(engine: LocalWhisperEngine(endpoint: endpoint, model: model, timeout: Double(settings.timeoutSeconds)))
        let work = NSTemporaryDirectory() + "pcaa-bench-stt-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        // Sequential: accuracy and per-call speed.
        for fixture in fixtures {
            let audio = try copy(fixture, into: work, tag: "seq")
            let started = ContinuousClock.now
            let result = try await engine.transcribe(audio: audio, call: call(fixture))
            row.sequentialSeconds += Elapsed.seconds(since: started)
            row.audioSeconds += audio.durationSeconds
            row.calls += 1
            for role in [SpeakerRole.agent, .customer] {
                let reference = fixture.references[role] ?? []
                let hypothesis = WordErrorRate.words(result.segments.filter { $0.role == role }.map(\.text).joined(separator: " "))
                row.edits += WordErrorRate.edits(reference: reference, hypothesis: hypothesis)
                row.referenceWords += reference.count
            }
            progress("model \(model): \(fixture.name) sequential done")
        }

        // Concurrent: `concurrency` calls in flight, every fixture once per slot.
        var copies: [(AudioFile, CallContext)] = []
        for slot in 0..<concurrency {
            for fixture in fixtures { copies.append((try copy(fixture, into: work, tag: "c\(slot)"), call(fixture))) }
        }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for slot in 0..<concurrency {
                let mine = copies.enumerated().filter { $0.offset % concurrency == slot }.map(\.element)
                tasks.addTask {
                    for (audio, call) in mine { _ = try await engine.transcribe(audio: audio, call: call) }
                }
            }
            try await tasks.waitForAll()
        }
        row.concurrentWallSeconds = Elapsed.seconds(since: started)
        row.concurrentCalls = copies.count
        progress("model \(model): \(copies.count) calls at concurrency \(concurrency) done")

        await group.triggerGracefulShutdown()
        _ = try? await runner.value
        return row
    }

    /// Why the helper cannot load `model` (asked of `stt/models.py path`), or nil when it can.
    func modelProblem(_ model: String) -> String? {
        let script = ((settings.localScript as NSString).deletingLastPathComponent as NSString).appendingPathComponent("models.py")
        guard FileManager.default.isExecutableFile(atPath: settings.localPython), FileManager.default.fileExists(atPath: script) else {
            return "the local speech helper is not installed (run stt/setup.sh)"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: settings.localPython)
        process.arguments = [script, "path", model]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return "cannot run \(settings.localPython): \(error)" }
        let detail = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let line = detail.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit status \(process.terminationStatus)"
        return "not installed: \(line)"
    }

    private func copy(_ fixture: Fixture, into directory: String, tag: String) throws -> AudioFile {
        let path = "\(directory)/\(fixture.name)-\(tag).wav"
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        let info = try WAVInfo.read(path: path)
        return AudioFile(path: path, sampleRate: info.sampleRate, channels: info.channels, bitsPerSample: info.bitsPerSample, durationSeconds: info.durationSeconds)
    }

    private func call(_ fixture: Fixture) -> CallContext {
        CallContext(bid: "bench", callid: fixture.name, direction: "outbound", language: language, durationSeconds: 0)
    }

    public func table(_ rows: [Row]) -> BenchTable {
        var table = BenchTable(
            title: "Local speech engine on \(rows.first?.calls ?? 0) fixture calls (threads \(settings.localThreads), concurrency \(concurrency))",
            columns: ["model", "load s", "audio s", "WER", "words", "RTF seq", "RTF x\(concurrency)", "calls x\(concurrency)", "note"])
        for row in rows {
            if let problem = row.problem {
                table.add([row.model, Figure.seconds(row.loadSeconds), "-", "-", "-", "-", "-", "-", String(problem.prefix(100))])
                continue
            }
            table.add([
                row.model, Figure.seconds(row.loadSeconds), Figure.seconds(row.audioSeconds), String(format: "%.3f", row.wer),
                "\(row.edits)/\(row.referenceWords)", String(format: "%.3f", row.sequentialRTF), String(format: "%.3f", row.concurrentRTF),
                "\(row.concurrentCalls)", "",
            ])
        }
        return table
    }
}
