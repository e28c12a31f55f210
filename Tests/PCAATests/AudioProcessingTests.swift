import Foundation
import PCAASpeech
import PCAASandbox
import Testing

/// Tests for streaming PCM reading, resampling, preparation for speech engines and voice-activity detection
/// (`PCMReader`, `Resampler`, `AudioPreparer`, `SpeechActivity`), on synthetic audio generated here.
/// Serialized so the memory measurement of the long-file test is not disturbed by the other tests of this suite.
@Suite(.serialized)
struct AudioProcessingTests {
    // MARK: Reading

    @Test func reads16BitStereoInChunks() throws {
        let values: [[Int16]] = [[0, 16_384, -32_768, 32_767, -1, 100, 7], [1, -16_384, 32_767, -32_768, 2, -100, 0]]
        let path = try tempPath("s16.wav")
        try writeWAV(path: path, sampleRate: 8_000, channels: 2, frames: 7) { frame, channel in
            Double(values[channel][frame]) / 32_768
        }
        var reader = try PCMReader(path: path)
        #expect(reader.info.channels == 2)
        #expect(reader.info.bitsPerSample == 16)
        #expect(reader.totalFrames == 7)
        var collected: [[Float]] = [[], []]
        var chunkSizes: [Int] = []
        while let chunk = try reader.next(maxFrames: 3) {
            #expect(chunk.count == 2)
            #expect(chunk[0].count == chunk[1].count)
            chunkSizes.append(chunk[0].count)
            collected[0] += chunk[0]
            collected[1] += chunk[1]
        }
        #expect(chunkSizes == [3, 3, 1])
        #expect(try reader.next(maxFrames: 3) == nil)
        for channel in 0..<2 {
            #expect(collected[channel] == values[channel].map { Float($0) / 32_768 })
        }
        #expect(collected[0][2] == -1)
        #expect(collected[0][3] < 1 && collected[0][3] > 0.9999)

        reader.seek(toFrame: 5)
        #expect(try reader.next(maxFrames: 10) == [[Float(100) / 32_768, Float(7) / 32_768], [Float(-100) / 32_768, 0]])
    }

    @Test func reads8BitUnsigned() throws {
        let bytes: [UInt8] = [0, 128, 255, 64, 192]
        let path = try tempPath("u8.wav")
        try Data(pcm8Header(sampleRate: 11_025, channels: 1, dataBytes: bytes.count) + bytes).write(to: URL(fileURLWithPath: path))
        var reader = try PCMReader(path: path)
        #expect(reader.info.bitsPerSample == 8)
        #expect(reader.info.sampleRate == 11_025)
        let chunk = try #require(try reader.next(maxFrames: 100))
        #expect(chunk == [[-1, 0, 127.0 / 128, -0.5, 0.5]])
        #expect(try reader.next(maxFrames: 100) == nil)
    }

    @Test func prepares8BitStereoInputToo() throws {
        // 0.5 s of 8-bit stereo at 8 kHz, a 500 Hz tone on the left only.
        let frames = 4_000
        var bytes: [UInt8] = []
        for frame in 0..<frames {
            let value = 0.5 * sin(2 * Double.pi * 500 * Double(frame) / 8_000)
            bytes += [UInt8(128 + Int((value * 127).rounded())), 128]
        }
        let directory = TestDaemon.temporaryDirectory()
        let path = directory + "/u8stereo.wav"
        try Data(pcm8Header(sampleRate: 8_000, channels: 2, dataBytes: bytes.count) + bytes).write(to: URL(fileURLWithPath: path))
        let prepared = try AudioPreparer.prepare(input: path, outputDirectory: directory + "/out", splitChannels: true)
        #expect(prepared.count == 2)
        let left = try readMono(prepared[0].path)
        let right = try readMono(prepared[1].path)
        #expect(left.count == 8_000)
        #expect(abs(rms(left) - 0.5 / 2.squareRoot()) < 0.01)
        #expect(rms(right) < 1e-4)
    }

    @Test func rejectsUnsupportedInput() throws {
        let directory = TestDaemon.temporaryDirectory()
        let notWAV = directory + "/call.mp3"
        try Data([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: notWAV))
        #expect {
            _ = try AudioPreparer.prepare(input: notWAV, outputDirectory: directory, splitChannels: false)
        } throws: { error in
            if case AudioFormatError.notWAV = error { return true }
            return false
        }

        // 24-bit PCM: a valid WAV this product does not handle.
        var header = WAVInfo.pcm16Header(sampleRate: 8_000, channels: 1, dataBytes: 30)
        header[28..<32] = [0x80, 0x5D, 0, 0] // byte rate 24000
        header[32] = 3 // block align
        header[34] = 24 // bits per sample
        let deep = directory + "/deep.wav"
        try Data(header + [UInt8](repeating: 0, count: 30)).write(to: URL(fileURLWithPath: deep))
        #expect(throws: AudioFormatError.unsupported("24-bit samples (only 8/16-bit PCM is supported)")) {
            _ = try AudioPreparer.prepare(input: deep, outputDirectory: directory, splitChannels: false)
        }

        let good = directory + "/good.wav"
        try writeWAV(path: good, sampleRate: 8_000, channels: 1, frames: 800) { _, _ in 0 }
        #expect {
            _ = try AudioPreparer.prepare(input: good, outputDirectory: directory, targetRate: 96_000, splitChannels: false)
        } throws: { error in
            if case AudioFormatError.unsupported = error { return true }
            return false
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".part") }
        #expect(leftovers.isEmpty)
    }

    // MARK: Resampling

    @Test func upsampling8kTo16kKeepsFrequencyAndDuration() throws {
        let directory = TestDaemon.temporaryDirectory()
        let input = directory + "/tone8k.wav"
        let seconds = 10 // 80 000 frames: more than one 64 K read chunk
        try writeWAV(path: input, sampleRate: 8_000, channels: 1, frames: 8_000 * seconds) { frame, _ in
            0.5 * sin(2 * Double.pi * 1_000 * Double(frame) / 8_000)
        }
        let prepared = try AudioPreparer.prepare(input: input, outputDirectory: directory + "/out", splitChannels: false)
        #expect(prepared.count == 1)
        let channel = try #require(prepared.first)
        #expect(channel.channel == 0)
        #expect(channel.sampleRate == 16_000)
        #expect(channel.durationSeconds == Double(seconds))
        let info = try WAVInfo.read(path: channel.path)
        #expect(info.sampleRate == 16_000 && info.channels == 1 && info.bitsPerSample == 16)
        #expect(info.durationSeconds == Double(seconds))

        let output = try readMono(channel.path)
        #expect(output.count == 16_000 * seconds)
        // Rising zero crossings: 1000 per second.
        let crossings = zip(output.dropLast(), output.dropFirst()).filter { $0 < 0 && $1 >= 0 }.count
        #expect(abs(crossings - 1_000 * seconds) <= 2)
        let body = Array(output[1_000..<(output.count - 1_000)])
        #expect(goertzelAmplitude(body, frequency: 1_000, sampleRate: 16_000) > 0.49)
        #expect(goertzelAmplitude(body, frequency: 7_000, sampleRate: 16_000) < 0.001) // no image at 8k − 1k
        // No delay and no clicks: every sample (away from the very edges) matches the ideal 16 kHz sine,
        // including around the 64 K-frame read-chunk boundary (output sample 131 072).
        var worst: Double = 0
        for n in 200..<(output.count - 200) {
            let ideal = 0.5 * sin(2 * Double.pi * 1_000 * Double(n) / 16_000)
            worst = max(worst, abs(Double(output[n]) - ideal))
        }
        #expect(worst < 0.0005, "max deviation from ideal sine \(worst)")
    }

    @Test func downsampling44kTo16kRemovesAliases() throws {
        let directory = TestDaemon.temporaryDirectory()
        let high = directory + "/high.wav"
        let low = directory + "/low.wav"
        let frames = 44_100 * 2
        try writeWAV(path: high, sampleRate: 44_100, channels: 1, frames: frames) { frame, _ in
            0.5 * sin(2 * Double.pi * 10_000 * Double(frame) / 44_100)
        }
        try writeWAV(path: low, sampleRate: 44_100, channels: 1, frames: frames) { frame, _ in
            0.5 * sin(2 * Double.pi * 1_000 * Double(frame) / 44_100)
        }
        let inputRMS = 0.5 / 2.squareRoot()
        let aliased = try AudioPreparer.prepare(input: high, outputDirectory: directory + "/out", splitChannels: false)[0]
        let passed = try AudioPreparer.prepare(input: low, outputDirectory: directory + "/out", splitChannels: false)[0]
        #expect(aliased.durationSeconds == 2 && passed.durationSeconds == 2)
        let aliasedSamples = try readMono(aliased.path)
        let passedSamples = try readMono(passed.path)
        #expect(aliasedSamples.count == 32_000)
        // 10 kHz would fold to 6 kHz; it must be at least 60 dB down (16-bit quantisation limits the measure).
        let aliasedRMS = rms(Array(aliasedSamples[500..<31_500]))
        #expect(aliasedRMS < inputRMS / 1_000, "alias RMS \(aliasedRMS)")
        #expect(goertzelAmplitude(Array(aliasedSamples[500..<31_500]), frequency: 6_000, sampleRate: 16_000) < 0.0005)
        // A 1 kHz tone passes unchanged.
        let passedRMS = rms(Array(passedSamples[500..<31_500]))
        #expect(abs(passedRMS - inputRMS) < 0.005)
    }

    @Test(arguments: [8_000, 8_001, 11_025, 12_000, 22_050, 32_000, 44_100, 48_000])
    func resampledToneMatchesIdealTone(inputRate: Int) {
        // 1 kHz at any input rate: the output matches the ideal 16 kHz sine sample by sample (no delay, any
        // phase-table interpolation accurate), and its length is the input duration.
        let input: [Float] = (0..<inputRate).map { Float(0.5 * sin(2 * Double.pi * 1_000 * Double($0) / Double(inputRate))) }
        var resampler = Resampler(inputRate: inputRate, outputRate: 16_000)
        let output = resampler.process(input) + resampler.flush()
        #expect(output.count == 16_000)
        var worst: Double = 0
        for n in 300..<(output.count - 300) {
            worst = max(worst, abs(Double(output[n]) - 0.5 * sin(2 * Double.pi * 1_000 * Double(n) / 16_000)))
        }
        #expect(worst < 1e-4, "max deviation \(worst) at \(inputRate) Hz")
    }

    @Test func resamplerIsIdentityForEqualRates() {
        var resampler = Resampler(inputRate: 16_000, outputRate: 16_000)
        let input: [Float] = (0..<1_000).map { Float(sin(Double($0) * 0.37)) }
        #expect(resampler.process(input) == input)
        #expect(resampler.flush().isEmpty)
        #expect(resampler.outputCount(forInput: 1_000) == 1_000)
    }

    @Test(arguments: [8_000, 11_025, 22_050, 44_100, 48_000, 8_001, 12_000])
    func chunkedResamplingEqualsOneShot(inputRate: Int) {
        var random = SeededGenerator(seed: UInt64(inputRate))
        let input: [Float] = (0..<(inputRate / 2)).map { index in
            Float(0.4 * sin(Double(index) * 0.05) + 0.2 * random.nextUnit())
        }
        var single = Resampler(inputRate: inputRate, outputRate: 16_000)
        let reference = single.process(input) + single.flush()
        #expect(Int64(reference.count) == single.outputCount(forInput: Int64(input.count)))

        var chunked = Resampler(inputRate: inputRate, outputRate: 16_000)
        var output: [Float] = []
        var offset = 0
        let sizes = [1, 2, 3, 7, 64, 1_000, 5, 4_096, 13]
        var turn = 0
        while offset < input.count {
            let size = min(sizes[turn % sizes.count], input.count - offset)
            output += chunked.process(Array(input[offset..<(offset + size)]))
            offset += size
            turn += 1
        }
        output += chunked.flush()
        #expect(output == reference)
    }

    // MARK: Channels

    @Test func stereoSplitKeepsChannelsApart() throws {
        let directory = TestDaemon.temporaryDirectory()
        let input = directory + "/call.wav"
        try writeWAV(path: input, sampleRate: 8_000, channels: 2, frames: 16_000) { frame, channel in
            let frequency = channel == 0 ? 440.0 : 1_250.0
            return 0.4 * sin(2 * Double.pi * frequency * Double(frame) / 8_000)
        }
        let split = try AudioPreparer.prepare(input: input, outputDirectory: directory + "/split", splitChannels: true)
        #expect(split.map(\.channel) == [0, 1])
        #expect(split.allSatisfy { $0.sampleRate == 16_000 && $0.durationSeconds == 2 })
        #expect(Set(split.map(\.path)).count == 2)
        let left = try readMono(split[0].path)
        let right = try readMono(split[1].path)
        #expect(goertzelAmplitude(left, frequency: 440, sampleRate: 16_000) > 0.39)
        #expect(goertzelAmplitude(left, frequency: 1_250, sampleRate: 16_000) < 0.001)
        #expect(goertzelAmplitude(right, frequency: 1_250, sampleRate: 16_000) > 0.39)
        #expect(goertzelAmplitude(right, frequency: 440, sampleRate: 16_000) < 0.001)

        let mixed = try AudioPreparer.prepare(input: input, outputDirectory: directory + "/mix", splitChannels: false)
        #expect(mixed.count == 1)
        let mono = try readMono(mixed[0].path)
        #expect(abs(goertzelAmplitude(mono, frequency: 440, sampleRate: 16_000) - 0.2) < 0.01)
        #expect(abs(goertzelAmplitude(mono, frequency: 1_250, sampleRate: 16_000) - 0.2) < 0.01)
    }

    @Test func loudInputIsClippedNotWrapped() throws {
        let directory = TestDaemon.temporaryDirectory()
        let input = directory + "/square.wav"
        // A full-scale square wave rings above full scale after band-limiting (Gibbs overshoot).
        try writeWAV(path: input, sampleRate: 8_000, channels: 1, frames: 8_000) { frame, _ in
            (frame / 20) % 2 == 0 ? 32_767.0 / 32_768 : -1
        }
        let prepared = try AudioPreparer.prepare(input: input, outputDirectory: directory + "/out", splitChannels: false)
        let output = try readMono(prepared[0].path)
        #expect(output.max()! > 0.999)
        #expect(output.min()! == -1)
        // Wrapping would put samples of the opposite sign right next to full scale.
        let wraps = zip(output.dropLast(), output.dropFirst()).filter { abs($0 - $1) > 1.5 }.count
        #expect(wraps == 0)
    }

    // MARK: Long recordings

    @Test func longRecordingIsStreamedWithBoundedMemory() throws {
        let directory = TestDaemon.temporaryDirectory()
        let input = directory + "/long.wav"
        let seconds = 600
        try writeWAV(path: input, sampleRate: 8_000, channels: 2, frames: 8_000 * seconds) { frame, channel in
            let t = Double(frame) / 8_000
            let burst = Int(t / 3) % 2 == channel ? 0.3 : 0.0
            return burst * sin(2 * Double.pi * (channel == 0 ? 300 : 500) * t)
        }
        let inputBytes = (try FileManager.default.attributesOfItem(atPath: input)[.size] as? NSNumber)?.intValue ?? 0
        #expect(inputBytes == 44 + 8_000 * seconds * 4)

        _ = try AudioPreparer.prepare( // warm up allocator and file caches
            input: input, outputDirectory: directory + "/warm", splitChannels: true)
        let before = residentKB()
        let clock = ContinuousClock()
        let start = clock.now
        let prepared = try AudioPreparer.prepare(input: input, outputDirectory: directory + "/out", splitChannels: true)
        let elapsed = clock.now - start
        let after = residentKB()
        let seconds64 = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("AudioPreparer: 10 min 8 kHz stereo -> 2 x 16 kHz mono in \(seconds64) s (realtime x\(Double(seconds) / seconds64)); VmRSS \(before) -> \(after) kB")

        #expect(prepared.count == 2)
        #expect(prepared.allSatisfy { $0.durationSeconds == Double(seconds) })
        // Loading the input as Float would take 38 MB and the outputs 77 MB; streaming needs a few chunks.
        // VmRSS is process-wide, so the bound is only checked when this suite runs alone (`make soak` does);
        // in the parallel `make test` run other suites' daemons share the process.
        if ProcessInfo.processInfo.environment["PCAA_MEMORY_CHECKS"] != nil, let before, let after {
            #expect(after - before < 12_000, "VmRSS grew by \(after - before) kB")
        }
        let info = try WAVInfo.read(path: prepared[1].path)
        #expect(info.dataBytes == Int64(16_000 * seconds * 2))

        // Resampler throughput alone, one 10-minute channel.
        var resampler = Resampler(inputRate: 8_000, outputRate: 16_000)
        let chunk: [Float] = (0..<65_536).map { Float(sin(Double($0) * 0.2)) }
        let resampleStart = clock.now
        var produced = 0
        for _ in 0..<(8_000 * seconds / chunk.count) {
            produced += resampler.process(chunk).count
        }
        produced += resampler.flush().count
        let resampleElapsed = clock.now - resampleStart
        let resampleSeconds = Double(resampleElapsed.components.seconds) + Double(resampleElapsed.components.attoseconds) / 1e18
        let audioSeconds = Double(produced) / 16_000
        print("Resampler 8k->16k: \(audioSeconds) s of audio in \(resampleSeconds) s (realtime x\(audioSeconds / resampleSeconds))")
    }

    // MARK: Voice activity

    @Test func speechActivityFindsToneBurstsNotNoise() throws {
        let directory = TestDaemon.temporaryDirectory()
        let path = directory + "/bursts.wav"
        let bursts: [ClosedRange<Double>] = [1.0...2.0, 3.5...4.3, 5.3...6.5]
        var random = SeededGenerator(seed: 42)
        try writeWAV(path: path, sampleRate: 16_000, channels: 1, frames: 16_000 * 8) { frame, _ in
            let t = Double(frame) / 16_000
            let noise = 0.01 * random.nextUnit() // about -50 dBFS of line noise
            let tone = bursts.contains { $0.contains(t) } ? 0.3 * sin(2 * Double.pi * 700 * t) : 0
            return noise + tone
        }
        let segments = try SpeechActivity.segments(path: path)
        #expect(segments.count == 3, "\(segments)")
        for (found, expected) in zip(segments, bursts) {
            #expect(abs(found.lowerBound - expected.lowerBound) <= 0.04, "\(found) vs \(expected)")
            #expect(abs(found.upperBound - expected.upperBound) <= 0.04, "\(found) vs \(expected)")
        }

        // Noise alone (louder than above, still a flat level) is not speech; neither is digital silence.
        let noisePath = directory + "/noise.wav"
        try writeWAV(path: noisePath, sampleRate: 16_000, channels: 1, frames: 16_000 * 5) { _, _ in 0.05 * random.nextUnit() }
        #expect(try SpeechActivity.segments(path: noisePath).isEmpty)
        let silentPath = directory + "/silent.wav"
        try writeWAV(path: silentPath, sampleRate: 8_000, channels: 1, frames: 8_000 * 3) { _, _ in 0 }
        #expect(try SpeechActivity.segments(path: silentPath).isEmpty)
    }

    @Test func speechActivityBridgesShortPausesAndDropsBlips() throws {
        let path = try tempPath("blips.wav")
        var random = SeededGenerator(seed: 7)
        // A 0.1 s blip (too short), then 1 s of speech with a 0.2 s pause inside (bridged), then a 0.6 s pause (kept).
        let tone: [ClosedRange<Double>] = [0.5...0.6, 1.5...2.0, 2.2...2.7, 3.3...4.0]
        try writeWAV(path: path, sampleRate: 16_000, channels: 1, frames: 16_000 * 5) { frame, _ in
            let t = Double(frame) / 16_000
            return 0.005 * random.nextUnit() + (tone.contains { $0.contains(t) } ? 0.2 * sin(2 * Double.pi * 300 * t) : 0)
        }
        let segments = try SpeechActivity.segments(path: path, frameMs: 20, minSpeechMs: 250, minSilenceMs: 400)
        #expect(segments.count == 2, "\(segments)")
        if segments.count == 2 {
            #expect(abs(segments[0].lowerBound - 1.5) <= 0.03 && abs(segments[0].upperBound - 2.7) <= 0.03)
            #expect(abs(segments[1].lowerBound - 3.3) <= 0.03 && abs(segments[1].upperBound - 4.0) <= 0.03)
        }
    }

    @Test func chunkBoundariesCutInSilences() {
        // Utterances of 2–6 s separated by pauses of 0.5–3 s over 10 minutes.
        var random = SeededGenerator(seed: 99)
        var speech: [ClosedRange<Double>] = []
        var t = 0.7
        while t < 590 {
            let length = 2 + 4 * (random.nextUnit() + 1) / 2
            speech.append(t...(t + length))
            t += length + 0.5 + 2.5 * (random.nextUnit() + 1) / 2
        }
        let duration = 600.0
        let maxChunk = 60.0
        let chunks = SpeechActivity.chunkBoundaries(speech: speech, maxChunkSeconds: maxChunk, duration: duration)
        #expect(chunks.first?.lowerBound == 0)
        #expect(chunks.last?.upperBound == duration)
        #expect(chunks.count >= 10 && chunks.count <= 20)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(previous.upperBound == next.lowerBound)
        }
        for chunk in chunks {
            #expect(chunk.upperBound - chunk.lowerBound <= maxChunk + 1e-9)
            #expect(chunk.upperBound - chunk.lowerBound >= maxChunk / 2 - 3 || chunk == chunks.last)
        }
        // Every cut is in the middle of a silence, i.e. not inside speech and equally far from both neighbours.
        for cut in chunks.dropLast().map(\.upperBound) {
            #expect(!speech.contains { $0.lowerBound < cut && cut < $0.upperBound }, "cut \(cut) inside speech")
            let before = speech.last { $0.upperBound <= cut }!.upperBound
            let after = speech.first { $0.lowerBound >= cut }!.lowerBound
            #expect(abs((cut - before) - (after - cut)) < 1e-9 || cut - before < after - cut, "cut \(cut) not centred")
        }

        // The longest pause in the window wins.
        let picked = SpeechActivity.chunkBoundaries(
            speech: [0...20, 21...35, 38...50, 50.5...58, 62...80], maxChunkSeconds: 60, duration: 80)
        #expect(picked == [0...36.5, 36.5...80])

        // One utterance longer than the limit forces hard cuts at the limit.
        let forced = SpeechActivity.chunkBoundaries(speech: [1...100], maxChunkSeconds: 30, duration: 101)
        #expect(forced == [0...30, 30...60, 60...90, 90...101])
        // Leading silence is no reason for a short first chunk; a pause right after it is used.
        #expect(SpeechActivity.chunkBoundaries(speech: [5...40, 42...70], maxChunkSeconds: 45, duration: 70) == [0...41, 41...70])
        // A call shorter than the limit is one chunk; an empty call none.
        #expect(SpeechActivity.chunkBoundaries(speech: speech, maxChunkSeconds: 900, duration: duration) == [0...600])
        #expect(SpeechActivity.chunkBoundaries(speech: [], maxChunkSeconds: 30, duration: 0).isEmpty)
        // Silence only: nothing to choose from, cut at the limit.
        #expect(SpeechActivity.chunkBoundaries(speech: [], maxChunkSeconds: 30, duration: 50) == [0...30, 30...50])
    }

    @Test func extractWritesTheSlice() throws {
        let directory = TestDaemon.temporaryDirectory()
        let path = directory + "/source.wav"
        try writeWAV(path: path, sampleRate: 16_000, channels: 1, frames: 16_000 * 5) { frame, _ in
            Double(frame % 1_000 - 500) / 1_000
        }
        let slice = directory + "/slice.wav"
        try SpeechActivity.extract(path: path, range: 1.25...3.5, to: slice)
        let info = try WAVInfo.read(path: slice)
        #expect(info.sampleRate == 16_000 && info.channels == 1)
        #expect(info.durationSeconds == 2.25)
        let samples = try readMono(slice)
        #expect(samples.count == 36_000)
        #expect(samples.first == Float(20_000 % 1_000 - 500) / 1_000)
        let source = try readMono(path)
        let expected = Array(source[20_000..<56_000])
        #expect(samples == expected)

        // Ranges reaching past the end are clamped.
        let tail = directory + "/tail.wav"
        try SpeechActivity.extract(path: path, range: 4.5...9, to: tail)
        #expect(try WAVInfo.read(path: tail).durationSeconds == 0.5)
    }

    @Test func preparedFilesFeedVoiceActivityAndChunking() throws {
        // End to end: 8 kHz stereo call -> split -> VAD per channel -> chunks -> extracted chunk files.
        let directory = TestDaemon.temporaryDirectory()
        let input = directory + "/call.wav"
        var random = SeededGenerator(seed: 3)
        try writeWAV(path: input, sampleRate: 8_000, channels: 2, frames: 8_000 * 20) { frame, channel in
            let t = Double(frame) / 8_000
            let speaking = Int(t / 2.5) % 2 == channel // turns of 2.5 s
            return 0.003 * random.nextUnit() + (speaking ? 0.25 * sin(2 * Double.pi * 220 * t) : 0)
        }
        let prepared = try AudioPreparer.prepare(input: input, outputDirectory: directory + "/out", splitChannels: true)
        let agent = try SpeechActivity.segments(path: prepared[0].path)
        #expect(agent.count == 4, "\(agent)")
        let chunks = SpeechActivity.chunkBoundaries(speech: agent, maxChunkSeconds: 6, duration: prepared[0].durationSeconds)
        #expect(chunks.allSatisfy { $0.upperBound - $0.lowerBound <= 6 })
        var total = 0.0
        for (index, chunk) in chunks.enumerated() {
            let output = directory + "/chunk\(index).wav"
            try SpeechActivity.extract(path: prepared[0].path, range: chunk, to: output)
            total += try WAVInfo.read(path: output).durationSeconds
        }
        #expect(abs(total - 20) < 0.001)
    }
}

// MARK: - Helpers

private func tempPath(_ name: String) throws -> String {
    TestDaemon.temporaryDirectory() + "/" + name
}

/// Writes a 16-bit PCM WAV file chunk by chunk (never holding the whole file); `sample(frame, channel)` in [-1, 1].
private func writeWAV(
    path: String, sampleRate: Int, channels: Int, frames: Int, sample: (Int, Int) -> Double
) throws {
    FileManager.default.createFile(
        atPath: path, contents: Data(WAVInfo.pcm16Header(sampleRate: sampleRate, channels: channels, dataBytes: frames * channels * 2)))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    let chunkFrames = 32_768
    var frame = 0
    var bytes = [UInt8]()
    bytes.reserveCapacity(chunkFrames * channels * 2)
    while frame < frames {
        bytes.removeAll(keepingCapacity: true)
        let end = min(frames, frame + chunkFrames)
        while frame < end {
            for channel in 0..<channels {
                let value = Int16(max(-32_768, min(32_767, (sample(frame, channel) * 32_768).rounded())))
                let bits = UInt16(bitPattern: value)
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            }
            frame += 1
        }
        try handle.write(contentsOf: bytes)
    }
}

/// `WAVInfo.pcm16Header` adjusted to 8-bit samples.
private func pcm8Header(sampleRate: Int, channels: Int, dataBytes: Int) -> [UInt8] {
    var header = WAVInfo.pcm16Header(sampleRate: sampleRate, channels: channels, dataBytes: dataBytes)
    let byteRate = sampleRate * channels
    header[28..<32] = [UInt8(truncatingIfNeeded: byteRate), UInt8(truncatingIfNeeded: byteRate >> 8),
                       UInt8(truncatingIfNeeded: byteRate >> 16), UInt8(truncatingIfNeeded: byteRate >> 24)]
    header[32] = UInt8(channels)
    header[34] = 8
    return header
}

/// All samples of a mono file (test files are small).
private func readMono(_ path: String) throws -> [Float] {
    var reader = try PCMReader(path: path)
    var samples: [Float] = []
    while let chunk = try reader.nextMono() { samples += chunk }
    return samples
}

private func rms(_ samples: [Float]) -> Double {
    guard !samples.isEmpty else { return 0 }
    return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
}

/// Amplitude of the `frequency` component (Goertzel), e.g. 0.5 for `0.5 · sin(2π f t)`.
private func goertzelAmplitude(_ samples: [Float], frequency: Double, sampleRate: Double) -> Double {
    let omega = 2 * Double.pi * frequency / sampleRate
    let coefficient = 2 * cos(omega)
    var s1 = 0.0
    var s2 = 0.0
    for sample in samples {
        let s0 = Double(sample) + coefficient * s1 - s2
        s2 = s1
        s1 = s0
    }
    let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
    return 2 * power.squareRoot() / Double(samples.count)
}

/// Resident set size of this process, kB (Linux), or nil where /proc is unavailable.
private func residentKB() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
    return nil
}

extension SeededGenerator {
    /// Uniform in [-1, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 52) - 1 }
}
