import Foundation
import PCAASpeech

/// Deterministic fake call recordings: 16-bit PCM WAV at 8 kHz, 3–12 s of alternating "speaker turns"
/// (voiced harmonic tones and noise bursts separated by pauses), derived from the recording's name alone.
public enum SyntheticRecording {
    public static let sampleRate = 8_000
    public static let durationRange: ClosedRange<Double> = 3...12

    /// Channel count for `name`: names ending in an even digit are mono, odd digits stereo (so consecutive
    /// call ids alternate); other names pick by hash.
    public static func channels(for name: String) -> Int {
        if let last = name.last, let digit = last.wholeNumberValue { return digit % 2 == 0 ? 1 : 2 }
        var random = SeededGenerator(hashing: name)
        return random.next() % 2 == 0 ? 1 : 2
    }

    /// The whole WAV file (44-byte header and samples) for `name`.
    public static func wav(named name: String) -> [UInt8] {
        var random = SeededGenerator(hashing: name)
        let channels = channels(for: name)
        let frames = Int.random(
            in: Int(durationRange.lowerBound) * sampleRate...Int(durationRange.upperBound) * sampleRate, using: &random)
        let samples = synthesize(frames: frames, channels: channels, random: &random)
        var bytes = WAVInfo.pcm16Header(sampleRate: sampleRate, channels: channels, dataBytes: samples.count * 2)
        bytes.reserveCapacity(bytes.count + samples.count * 2)
        for sample in samples {
            let bits = UInt16(bitPattern: sample)
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        return bytes
    }

    /// Interleaved samples: speaker turns alternate between agent (channel 0) and customer (channel 1);
    /// in mono both speakers share the channel. A faint noise floor keeps silent stretches non-zero.
    private static func synthesize(frames: Int, channels: Int, random: inout SeededGenerator) -> [Int16] {
        var output = [Int16](repeating: 0, count: frames * channels)
        let rate = Double(sampleRate)
        var frame = 0
        var speaker = 0
        while frame < frames {
            let choice = Double.random(in: 0..<1, using: &random)
            let length = min(frames - frame, Int(Double.random(in: 0.2...1.5, using: &random) * rate))
            let pause = choice >= 0.85
            let noise = choice >= 0.6 && !pause
            let pitch = Double.random(in: 90...260, using: &random)
            let loudness = Double.random(in: 2_000...9_000, using: &random)
            for offset in 0..<length {
                let t = Double(offset) / rate
                let position = Double(offset) / Double(max(1, length))
                let envelope = sin(Double.pi * position) * (0.7 + 0.3 * sin(2 * Double.pi * 4 * t))
                var value = 0.0
                if !pause {
                    if noise {
                        value = Double.random(in: -1...1, using: &random) * loudness * 0.6 * envelope
                    } else {
                        var voiced = 0.0
                        for harmonic in 1...4 {
                            voiced += sin(2 * Double.pi * pitch * Double(harmonic) * t) / Double(harmonic)
                        }
                        value = voiced * loudness * 0.5 * envelope
                    }
                }
                for channel in 0..<channels {
                    let floor = Double.random(in: -40...40, using: &random)
                    let active = channels == 1 || channel == speaker
                    let sample = (active ? value : 0) + floor
                    output[(frame + offset) * channels + channel] = Int16(max(-32_767, min(32_767, sample)))
                }
            }
            frame += length
            if !pause { speaker = 1 - speaker }
        }
        return output
    }
}
