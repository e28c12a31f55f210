/// Nearest-rank percentiles for latency and lag figures.
public enum Percentile {
    /// The `p`-th percentile (0–100) of `values`, or nil when there are none.
    public static func nearestRank(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
