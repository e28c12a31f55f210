/// Spaces webhook POSTs evenly at a target rate across all senders (each caller gets the next free slot).
actor Pacer {
    private let interval: Duration?
    private var nextSlot: ContinuousClock.Instant?

    /// `ratePerSecond` ≤ 0 means no pacing.
    init(ratePerSecond: Double) {
        interval = ratePerSecond > 0 ? .seconds(1 / ratePerSecond) : nil
    }

    /// Reserves the next slot; nil when there is no pacing.
    private func reserve() -> ContinuousClock.Instant? {
        guard let interval else { return nil }
        let now = ContinuousClock.now
        let slot = max(nextSlot ?? now, now)
        nextSlot = slot + interval
        return slot
    }

    /// Waits for this caller's slot.
    nonisolated func wait() async throws {
        if let slot = await reserve() {
            try await Task.sleep(until: slot, clock: .continuous)
        }
    }
}
