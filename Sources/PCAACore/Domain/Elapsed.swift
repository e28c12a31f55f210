/// Whole milliseconds elapsed, for `duration_ms` / `processing_ms` fields.
public enum Elapsed {
    public static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
