/// Drops Whisper segments that are probably not speech: text "heard" in silence and repetition loops.
///
/// Whisper invents plausible sentences over silence or hold music ("Thank you for watching."); such segments
/// come with a high `no_speech_prob` and a low `avg_logprob`. Runaway repetition shows as a high gzip
/// `compression_ratio`. A segment missing a statistic is not judged on it.
public struct HallucinationGuard: Sendable, Equatable {
    /// A segment is silence when `no_speech_prob` is above this…
    public var maxNoSpeechProbability: Double
    /// …and `avg_logprob` is below this.
    public var minAverageLogProbability: Double
    /// A segment whose `compression_ratio` is above this is a repetition loop.
    public var maxCompressionRatio: Double

    public init(maxNoSpeechProbability: Double = 0.6, minAverageLogProbability: Double = -1.0, maxCompressionRatio: Double = 2.4) {
        self.maxNoSpeechProbability = maxNoSpeechProbability
        self.minAverageLogProbability = minAverageLogProbability
        self.maxCompressionRatio = maxCompressionRatio
    }

    /// Whether a segment with this (trimmed) text and these statistics should be kept.
    public func keeps(text: String, noSpeechProbability: Double?, averageLogProbability: Double?, compressionRatio: Double?) -> Bool {
        if text.isEmpty { return false }
        if let noSpeech = noSpeechProbability, let logprob = averageLogProbability,
           noSpeech > maxNoSpeechProbability, logprob < minAverageLogProbability {
            return false
        }
        if let ratio = compressionRatio, ratio > maxCompressionRatio { return false }
        return true
    }
}
