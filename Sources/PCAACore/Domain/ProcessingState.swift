/// Where a call is in the pipeline (seed §7.4). Every change is also a `processing_log` row.
public enum ProcessingState: String, Sendable, Codable, CaseIterable {
    case received, queued, transcribing, transcribed, analyzing, analyzed, notifying, notified, archived
    case skipped
    case failedSTT = "failed_stt"
    case failedAnalysis = "failed_analysis"
    case failedNotify = "failed_notify"

    /// States a call does not leave without an operator (retry-failed) or the archiver.
    public var isTerminal: Bool {
        switch self {
        case .notified, .archived, .skipped, .failedSTT, .failedAnalysis, .failedNotify: true
        default: false
        }
    }

    public var isFailed: Bool { self == .failedSTT || self == .failedAnalysis || self == .failedNotify }
}

/// A pipeline stage: each has its own job kind, worker pool and states.
public enum Stage: String, Sendable, Codable, CaseIterable {
    case transcribe, analyze, notify

    /// The call state while a worker holds this stage's job.
    public var runningState: ProcessingState {
        switch self {
        case .transcribe: .transcribing
        case .analyze: .analyzing
        case .notify: .notifying
        }
    }

    /// The call state once this stage succeeded.
    public var doneState: ProcessingState {
        switch self {
        case .transcribe: .transcribed
        case .analyze: .analyzed
        case .notify: .notified
        }
    }

    /// The call state when this stage's job is dead.
    public var failedState: ProcessingState {
        switch self {
        case .transcribe: .failedSTT
        case .analyze: .failedAnalysis
        case .notify: .failedNotify
        }
    }

    /// The call state while this stage's job waits in the queue.
    public var queuedState: ProcessingState {
        switch self {
        case .transcribe: .queued
        case .analyze: .transcribed
        case .notify: .analyzed
        }
    }

    public var next: Stage? {
        switch self {
        case .transcribe: .analyze
        case .analyze: .notify
        case .notify: nil
        }
    }
}
