import Foundation

/// Energy-based voice-activity detection and chunking of prepared (mono) recordings.
public enum SpeechActivity {
    /// Percentile of the frame energies taken as the noise floor.
    public static let noiseFloorPercentile = 0.10
    /// How far above the noise floor a frame must be to count as speech, dB.
    public static let marginDB = 12.0
    /// Frames quieter than this (dBFS, RMS) are never speech, however low the noise floor (digital silence).
    public static let absoluteThresholdDB = -55.0

    /// Speech segments of the WAV file at `path`, in seconds, sorted and non-overlapping.
    ///
    /// The file is streamed in frames of `frameMs`; each frame's RMS level in dBFS is compared with an adaptive
    /// threshold: the noise floor (the ``noiseFloorPercentile`` of all frame levels) plus ``marginDB``, and at least
    /// ``absoluteThresholdDB``. Pauses shorter than `minSilenceMs` inside speech are bridged, then speech runs
    /// shorter than `minSpeechMs` are dropped. Multi-channel files are averaged to mono. Memory holds one level per
    /// frame (about 1 MB for two hours at 30 ms), not the samples.
    public static func segments(
        path: String, frameMs: Int = 30, minSpeechMs: Int = 250, minSilenceMs: Int = 400
    ) throws -> [ClosedRange<Double>] {
        precondition(frameMs > 0, "frameMs must be positive")
        var reader = try PCMReader(path: path)
        defer { reader.close() }
        let rate = reader.info.sampleRate
        let frameLength = max(1, rate * frameMs / 1000)
        let frameSeconds = Double(frameLength) / Double(rate)
        let duration = Double(reader.totalFrames) / Double(rate)

        // Levels of the frames, the last one possibly partial.
        var levels: [Double] = []
        levels.reserveCapacity(Int(reader.totalFrames / Int64(frameLength)) + 1)
        var sum: Double = 0
        var count = 0
        let chunkFrames = max(frameLength, PCMReader.defaultChunkFrames / frameLength * frameLength)
        while let chunk = try reader.nextMono(maxFrames: chunkFrames) {
            chunk.withUnsafeBufferPointer { samples in
                var i = 0
                while i < samples.count {
                    let value = Double(samples[i])
                    sum += value * value
                    count += 1
                    if count == frameLength {
                        levels.append(decibels(meanSquare: sum / Double(count)))
                        sum = 0
                        count = 0
                    }
                    i += 1
                }
            }
        }
        if count > 0 { levels.append(decibels(meanSquare: sum / Double(count))) }
        guard !levels.isEmpty else { return [] }

        let threshold = self.threshold(levels: levels)
        let active = levels.map { $0 > threshold }
        let minSilenceFrames = (minSilenceMs + frameMs - 1) / frameMs
        let minSpeechFrames = (minSpeechMs + frameMs - 1) / frameMs
        return runs(active, minGap: minSilenceFrames, minRun: minSpeechFrames).map { run in
            Double(run.lowerBound) * frameSeconds...min(duration, Double(run.upperBound) * frameSeconds)
        }
    }

    /// The speech threshold for these frame levels (dBFS): noise floor + margin, at least the absolute threshold.
    static func threshold(levels: [Double]) -> Double {
        let sorted = levels.sorted()
        let index = min(sorted.count - 1, Int(Double(sorted.count - 1) * noiseFloorPercentile))
        return max(absoluteThresholdDB, sorted[index] + marginDB)
    }

    /// Runs of `true` (as half-open frame ranges) after bridging gaps shorter than `minGap` and dropping runs
    /// shorter than `minRun`.
    static func runs(_ active: [Bool], minGap: Int, minRun: Int) -> [Range<Int>] {
        var raw: [Range<Int>] = []
        var start: Int?
        for (index, isActive) in active.enumerated() {
            if isActive, start == nil { start = index }
            if !isActive, let begin = start {
                raw.append(begin..<index)
                start = nil
            }
        }
        if let begin = start { raw.append(begin..<active.count) }

        var merged: [Range<Int>] = []
        for run in raw {
            if let last = merged.last, run.lowerBound - last.upperBound < minGap {
                merged[merged.count - 1] = last.lowerBound..<run.upperBound
            } else {
                merged.append(run)
            }
        }
        return merged.filter { $0.count >= minRun }
    }

    private static func decibels(meanSquare: Double) -> Double {
        10 * log10(max(meanSquare, 1e-12)) // floor at -120 dBFS
    }

    /// Cuts `[0, duration]` into consecutive chunks of at most `maxChunkSeconds` (covering the whole call), cutting
    /// inside silences.
    ///
    /// From each chunk start, the gaps between the `speech` segments (and before the first / after the last) that
    /// overlap the window up to the limit are candidates, ranked by the length of their part inside the window; the
    /// cut goes in the middle of the longest one (at the limit if the middle lies beyond it), preferring cuts in the
    /// second half of the window so chunks do not come out needlessly short. Silence at the very start of a window
    /// is not a candidate (it would only split off a chunk of silence). Only when speech covers the whole window (one utterance longer than the limit) is the cut made hard,
    /// at the limit. `speech` may be unsorted or overlapping.
    public static func chunkBoundaries(
        speech: [ClosedRange<Double>], maxChunkSeconds: Double, duration: Double
    ) -> [ClosedRange<Double>] {
        guard duration > 0 else { return [] }
        guard maxChunkSeconds > 0, duration > maxChunkSeconds else { return [0...duration] }

        // Sorted, merged speech clipped to [0, duration]; then the silences between.
        var merged: [ClosedRange<Double>] = []
        for segment in speech.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let lower = max(0, segment.lowerBound)
            let upper = min(duration, segment.upperBound)
            guard lower < upper else { continue }
            if let last = merged.last, lower <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, upper)
            } else {
                merged.append(lower...upper)
            }
        }
        var gaps: [ClosedRange<Double>] = []
        var cursor = 0.0
        for segment in merged {
            if segment.lowerBound > cursor { gaps.append(cursor...segment.lowerBound) }
            cursor = segment.upperBound
        }
        if cursor < duration { gaps.append(cursor...duration) }

        var chunks: [ClosedRange<Double>] = []
        var start = 0.0
        let epsilon = 1e-9
        while duration - start > maxChunkSeconds + epsilon {
            let limit = start + maxChunkSeconds
            let preferredFrom = start + maxChunkSeconds / 2
            var best: (length: Double, cut: Double, preferred: Bool)?
            // A gap starting at or before `start` (leading silence, or the rest of the gap just cut in) would only
            // split off a chunk of silence.
            for gap in gaps where gap.lowerBound > start + epsilon && gap.lowerBound < limit {
                let lower = gap.lowerBound
                let length = min(gap.upperBound, limit) - lower
                guard length > epsilon else { continue }
                let cut = min((lower + gap.upperBound) / 2, limit)
                let preferred = cut >= preferredFrom
                if let current = best {
                    if preferred != current.preferred {
                        if preferred { best = (length, cut, preferred) }
                    } else if length > current.length {
                        best = (length, cut, preferred)
                    }
                } else {
                    best = (length, cut, preferred)
                }
            }
            let cut = best?.cut ?? limit
            chunks.append(start...cut)
            start = cut
        }
        chunks.append(start...duration)
        return chunks
    }

    /// Writes the part of the WAV file at `path` inside `range` (seconds, clamped to the file) to `output` as 16-bit
    /// PCM with the same rate and channels, streaming. Throws ``AudioFormatError`` for an unsupported input.
    public static func extract(path: String, range: ClosedRange<Double>, to output: String) throws {
        var reader = try PCMReader(path: path)
        defer { reader.close() }
        let rate = Double(reader.info.sampleRate)
        let first = min(reader.totalFrames, max(0, Int64((range.lowerBound * rate).rounded())))
        let end = min(reader.totalFrames, max(first, Int64((range.upperBound * rate).rounded())))
        reader.seek(toFrame: first)
        let writer = try PCM16WAVWriter(path: output, sampleRate: reader.info.sampleRate, channels: reader.info.channels)
        do {
            var remaining = end - first
            while remaining > 0, let chunk = try reader.next(maxFrames: Int(min(remaining, Int64(PCMReader.defaultChunkFrames)))) {
                try writer.write(channels: chunk)
                remaining -= Int64(chunk[0].count)
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
    }
}
