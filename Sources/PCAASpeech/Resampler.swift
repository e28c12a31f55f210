import Foundation

/// Streaming sample-rate converter for one mono channel: a polyphase Kaiser-windowed-sinc filter.
///
/// The rate ratio is reduced to `L / M` (output / input). Output sample `n` lies at input time `n · M / L`
/// and is the dot product of the surrounding input samples with one phase of the interpolation kernel
/// `h(t) = fc · sinc(fc · t) · kaiser(t / halfWidth)`, where `fc = rolloff · min(1, L / M)` (relative to the
/// input Nyquist frequency), so the low-pass cutoff sits below the lower of the two Nyquist frequencies
/// (anti-aliasing when decimating, anti-imaging when interpolating). With `L` phases up to
/// ``maxPhases`` the kernel is exact; for awkward ratios (large `L`) a table of ``maxPhases`` phases is
/// interpolated linearly.
///
/// Call ``process(_:)`` with consecutive chunks of any size, then ``flush()`` once: the concatenated outputs are
/// identical whatever the chunking (history is kept between calls), are aligned in time with the input (no
/// added delay) and hold `ceil(inputCount · L / M)` samples. When the rates are equal the resampler is the identity.
public struct Resampler: Sendable {
    public let inputRate: Int
    public let outputRate: Int
    /// Upsampling factor of the reduced ratio.
    public let upFactor: Int
    /// Downsampling factor of the reduced ratio.
    public let downFactor: Int
    /// Input samples on each side of an output point that the kernel reaches.
    public let halfTaps: Int
    /// Largest phase table built exactly; above it phases are interpolated.
    public static let maxPhases = 2_048

    private let isIdentity: Bool
    /// Number of phases in `table` (`upFactor`, or `maxPhases` when interpolating).
    private let phases: Int
    private let interpolatePhases: Bool
    /// `(phases + 1) × (2 · halfTaps)` coefficients; row `p` holds `h(p / phases - j)` for `j = -halfTaps + 1 ... halfTaps`.
    private let table: [Float]

    /// Input samples kept, starting at absolute input index `bufferStart` (negative at first: zero history).
    private var buffer: [Float]
    private var bufferStart: Int64
    /// Input samples received so far.
    private var inputCount: Int64 = 0
    /// Integer and fractional (in units of 1/upFactor) input position of the next output sample.
    private var nextIndex: Int64 = 0
    private var nextFraction: Int = 0
    private var flushed = false

    /// - Parameters:
    ///   - inputRate: Sample rate of the input, Hz (> 0).
    ///   - outputRate: Sample rate wanted, Hz (> 0; 16 000 by default).
    ///   - zeroCrossings: Zero crossings of the sinc kept on each side of the kernel (filter quality; 8...64).
    ///   - rolloff: Cutoff as a fraction of the lower Nyquist frequency (0.5...0.99).
    ///   - kaiserBeta: Kaiser window shape (about 9 gives ~90 dB stop-band attenuation).
    public init(inputRate: Int, outputRate: Int = 16_000, zeroCrossings: Int = 32, rolloff: Double = 0.91, kaiserBeta: Double = 9) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        precondition((8...64).contains(zeroCrossings), "zeroCrossings must be in 8...64")
        precondition((0.5...0.99).contains(rolloff), "rolloff must be in 0.5...0.99")
        self.inputRate = inputRate
        self.outputRate = outputRate
        let divisor = Resampler.gcd(inputRate, outputRate)
        let up = outputRate / divisor
        let down = inputRate / divisor
        self.upFactor = up
        self.downFactor = down
        self.isIdentity = up == down

        let cutoff = rolloff * min(1, Double(up) / Double(down))
        let halfWidth = Double(zeroCrossings) / cutoff // in input samples
        let half = isIdentity ? 0 : Int(halfWidth.rounded(.up))
        self.halfTaps = half
        self.interpolatePhases = up > Resampler.maxPhases
        let phaseCount = isIdentity ? 1 : min(up, Resampler.maxPhases)
        self.phases = phaseCount

        var table: [Float] = []
        if !isIdentity {
            let width = 2 * half
            table = [Float](repeating: 0, count: (phaseCount + 1) * width)
            let besselBeta = Resampler.besselI0(kaiserBeta)
            for phase in 0...phaseCount {
                let offset = Double(phase) / Double(phaseCount)
                var row = [Double](repeating: 0, count: width)
                var sum = 0.0
                for tap in 0..<width {
                    let j = Double(tap - half + 1)
                    let t = offset - j // distance from the output point to input sample i + j
                    var value = 0.0
                    if abs(t) < halfWidth {
                        let ratio = t / halfWidth
                        let window = Resampler.besselI0(kaiserBeta * (1 - ratio * ratio).squareRoot()) / besselBeta
                        let x = Double.pi * cutoff * t
                        let sinc = x == 0 ? 1 : sin(x) / x
                        value = cutoff * sinc * window
                    }
                    row[tap] = value
                    sum += value
                }
                for tap in 0..<width { // unity gain at DC for every phase
                    table[phase * width + tap] = Float(row[tap] / sum)
                }
            }
        }
        self.table = table
        self.buffer = [Float](repeating: 0, count: max(0, half - 1))
        self.bufferStart = -Int64(max(0, half - 1))
    }

    /// Number of output samples for `inputSamples` input samples: `ceil(inputSamples · L / M)`.
    public func outputCount(forInput inputSamples: Int64) -> Int64 {
        (inputSamples * Int64(upFactor) + Int64(downFactor) - 1) / Int64(downFactor)
    }

    /// Feeds the next chunk of input and returns the output samples that are now complete
    /// (those whose kernel does not reach beyond the input received so far).
    public mutating func process(_ input: [Float]) -> [Float] {
        precondition(!flushed, "process(_:) called after flush()")
        if isIdentity { return input }
        buffer.append(contentsOf: input)
        inputCount += Int64(input.count)
        return produce(limitIndex: inputCount)
    }

    /// Ends the stream: returns the remaining output samples (the input is padded with silence at the end).
    public mutating func flush() -> [Float] {
        precondition(!flushed, "flush() called twice")
        flushed = true
        if isIdentity { return [] }
        buffer.append(contentsOf: [Float](repeating: 0, count: halfTaps))
        let output = produce(limitIndex: inputCount)
        buffer = []
        return output
    }

    /// Computes outputs while their kernel is inside the buffer and their position is before `limitIndex`.
    private mutating func produce(limitIndex: Int64) -> [Float] {
        let width = 2 * halfTaps
        let available = bufferStart + Int64(buffer.count) // one past the last buffered input index
        // Output at position i + f needs inputs i - halfTaps + 1 ... i + halfTaps.
        let lastIndex = min(available - Int64(halfTaps), limitIndex) // exclusive bound on i
        guard nextIndex < lastIndex else { return [] }
        // Outputs at positions index + fraction / up < lastIndex, in steps of down / up.
        let span = (lastIndex - nextIndex) * Int64(upFactor) - Int64(nextFraction)
        let count = Int((span + Int64(downFactor) - 1) / Int64(downFactor))

        let up = upFactor
        let down = downFactor
        let phaseCount = phases
        let interpolate = interpolatePhases
        let start = bufferStart
        let half = halfTaps
        var index = nextIndex
        var fraction = nextFraction
        let output = buffer.withUnsafeBufferPointer { samples in
            table.withUnsafeBufferPointer { coefficients in
                [Float](unsafeUninitializedCapacity: count) { out, initialized in
                    var n = 0
                    while n < count {
                        let input = samples.baseAddress! + (Int(index - start) - half + 1)
                        if !interpolate {
                            out[n] = Resampler.dot(input, coefficients.baseAddress! + fraction * width, width)
                        } else {
                            let scaled = Double(fraction) * Double(phaseCount) / Double(up)
                            let phase = Int(scaled)
                            let weight = Float(scaled - Double(phase))
                            let rowA = coefficients.baseAddress! + phase * width
                            let a = Resampler.dot(input, rowA, width)
                            let b = Resampler.dot(input, rowA + width, width)
                            out[n] = a + (b - a) * weight
                        }
                        fraction += down
                        if fraction >= up {
                            index += Int64(fraction / up)
                            fraction %= up
                        }
                        n += 1
                    }
                    initialized = count
                }
            }
        }
        nextIndex = index
        nextFraction = fraction
        // Drop inputs no later output needs (keep from nextIndex - halfTaps + 1).
        let keepFrom = nextIndex - Int64(halfTaps) + 1
        let drop = Int(min(max(0, keepFrom - bufferStart), Int64(buffer.count)))
        if drop > 0 {
            buffer.removeFirst(drop)
            bufferStart += Int64(drop)
        }
        return output
    }

    /// Dot product of `count` floats (unrolled by four; fast enough in debug builds too).
    @inline(__always)
    private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var k = 0
        let end4 = count & ~3
        while k < end4 {
            s0 += a[k] * b[k]
            s1 += a[k + 1] * b[k + 1]
            s2 += a[k + 2] * b[k + 2]
            s3 += a[k + 3] * b[k + 3]
            k += 4
        }
        while k < count {
            s0 += a[k] * b[k]
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// Zeroth-order modified Bessel function of the first kind (power series).
    private static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let quarter = x * x / 4
        var k = 1.0
        while term > 1e-12 * sum {
            term *= quarter / (k * k)
            sum += term
            k += 1
        }
        return sum
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
