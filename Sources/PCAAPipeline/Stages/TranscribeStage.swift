import Foundation
import GRDB
import PCAAAnalysis
import PCAACore
import PCAAStore

/// Downloads the recording, reads its header and runs the BID's speech-to-text engine.
public struct TranscribeStage: StageProcessor {
    public let stage = Stage.transcribe
    let database: AppDatabase
    let fetcher: RecordingFetcher
    let providers: ProviderRegistry

    public init(database: AppDatabase, fetcher: RecordingFetcher, providers: ProviderRegistry) {
        self.database = database
        self.fetcher = fetcher
        self.providers = providers
    }

    public func process(_ job: Job) async throws -> StageCommit {
        let (call, config) = try await StageInputs.call(database, job: job)
        guard let url = call.recordingUrl else {
            throw StageError.permanent("no_recording_url", "the webhook carried no recording_url")
        }
        let audio = try await fetcher.fetch(url: url, bid: call.bid, callid: call.callid)
        let engine = providers.speechToText(named: config.sttProvider)
        let started = ContinuousClock.now
        var transcript = try await engine.transcribe(audio: audio, call: call.context(language: config.language, channelMap: config.channelMap, firstSpeaker: config.firstSpeaker))
        let processingMs = Elapsed.milliseconds(since: started)
        if (RedactionScope(rawValue: config.redactPii) ?? .all) == .all {
            transcript = PIIRedactor.redact(transcript)
        }
        let callID = call.id!
        let record = try TranscriptRecord(callId: callID, call: call, result: transcript, processingMs: processingMs, createdAt: Date())
        // The recording is kept for archiving when the BID asks for it, otherwise removed once the transcript is stored
        // (until then it stays, so a retry does not download it again).
        let keepAudio = config.archiveAudio
        return StageCommit(
            note: "provider=\(engine.name) segments=\(transcript.segments.count) chars=\(transcript.text.count)",
            apply: { db in
                try db.execute(
                    sql: "UPDATE calls SET audio_path = ?, audio_duration_s = ?, audio_sample_rate = ?, audio_channels = ? WHERE id = ?",
                    arguments: [keepAudio ? audio.path : nil, audio.durationSeconds, audio.sampleRate, audio.channels, callID]
                )
                try record.save(db)
            },
            afterCommit: { if !keepAudio { try? FileManager.default.removeItem(atPath: audio.path) } }
        )
    }
}
