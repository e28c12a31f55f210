import Foundation

/// Calendar days in a time zone, written `YYYY-MM-DD`: the digest's day, the API's date filters.
public enum LocalDay {
    /// Start and end (exclusive) of the day `text` in `zone`; nil when `text` is not a real date `YYYY-MM-DD`.
    public static func bounds(of text: String, in zone: TimeZone) -> (start: Date, end: Date)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        let calendar = calendar(zone)
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components),
              let end = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
        return (start, end)
    }

    /// The day holding `date` in `zone`, moved by `offset` days.
    public static func string(_ date: Date, in zone: TimeZone, offset: Int = 0) -> String {
        let calendar = calendar(zone)
        let day = calendar.date(byAdding: .day, value: offset, to: calendar.startOfDay(for: date)) ?? date
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The day before `now` in `zone`: the default digest day.
    public static func yesterday(in zone: TimeZone, now: Date = Date()) -> String {
        string(now, in: zone, offset: -1)
    }

    /// The Gregorian calendar in `zone`.
    public static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
