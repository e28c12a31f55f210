import PCAACore

/// Stands in for an engine this build does not have: fails permanently with a clear message, never invents text.
public struct UnavailableSpeechToText: SpeechToText {
    public let name: String
    public let reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
        throw StageError.permanent("stt_unavailable", "speech-to-text provider \"\(name)\" is unavailable: \(reason)")
    }
}

/// An analyzer name this build does not provide.
public struct UnavailableAnalyzer: CallAnalyzer {
    public let name: String
    public let reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public func analyze(transcript: TranscriptResult, rubric: Rubric, call: CallContext) async throws -> AnalysisResult {
        throw StageError.permanent("analyzer_unavailable", "analyzer \"\(name)\" is unavailable: \(reason)")
    }
}

/// A notification channel this build does not provide.
public struct UnavailableNotifier: Notifier {
    public let name: String
    public let reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public func deliver(_ message: OutboundMessage) async throws -> DeliveryReceipt {
        throw StageError.permanent("notifier_unavailable", "notification channel \"\(name)\" is unavailable: \(reason)")
    }
}
