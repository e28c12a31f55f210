import Foundation

/// A date's calendar fields in a time zone, computed with `gmtime_r` on the zone-shifted time: formatting reports
/// and mail headers without building a `DateFormatter` per message (which profiling showed to be costly).
struct LocalClock {
    let year: Int
    let month: Int
    let day: Int
    let hour: Int
    let minute: Int
    let second: Int
    /// 0 = Sunday.
    let weekday: Int
    let offsetSeconds: Int

    init(_ date: Date, _ zone: TimeZone) {
        offsetSeconds = zone.secondsFromGMT(for: date)
        var seconds = time_t(Int(date.timeIntervalSince1970.rounded(.down)) + offsetSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
        weekday = Int(parts.tm_wday)
    }

    /// `YYYY-MM-DD`.
    var dateString: String { "\(year)-\(two(month))-\(two(day))" }

    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
