import Foundation
import PCAACore
import PCAAStore

/// When a BID's supervisor digest is due: at `send_time` on `send_days` in `timezone`, covering the local day
/// before. Pure date arithmetic, so the scheduler and its tests agree on every boundary (DST included).
public struct DigestSchedule: Sendable, Equatable {
    public let hour: Int
    public let minute: Int
    /// Weekdays as `Calendar` numbers (1 = Sunday … 7 = Saturday).
    public let weekdays: Set<Int>
    public let timeZone: TimeZone

    static let dayNames = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// nil when the row's time, days or zone do not parse (the scheduler logs it and skips the BID).
    public init?(sendTime: String, sendDays: String, timezone: String) {
        let parts = sendTime.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute),
              let zone = TimeZone(identifier: timezone) else { return nil }
        var days: Set<Int> = []
        for name in sendDays.lowercased().split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            guard let day = Self.dayNames[String(name.prefix(3))] else { return nil }
            days.insert(day)
        }
        guard !days.isEmpty else { return nil }
        self.hour = hour
        self.minute = minute
        self.weekdays = days
        self.timeZone = zone
    }

    public init?(_ config: NotificationConfig) {
        self.init(sendTime: config.sendTime, sendDays: config.sendDays, timezone: config.timezone)
    }

    var calendar: Calendar { LocalDay.calendar(timeZone) }

    /// The most recent scheduled send time at or before `now` (looking back eight days).
    public func latestOccurrence(atOrBefore now: Date) -> Date? {
        let calendar = calendar
        let today = calendar.startOfDay(for: now)
        for back in 0...8 {
            guard let day = calendar.date(byAdding: .day, value: -back, to: today),
                  weekdays.contains(calendar.component(.weekday, from: day)),
                  let at = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) else { continue }
            if at <= now { return at }
        }
        return nil
    }

    /// The local day a digest sent at `occurrence` covers (the day before), as `YYYY-MM-DD`.
    public func period(forOccurrence occurrence: Date) -> String {
        LocalDay.string(occurrence, in: timeZone, offset: -1)
    }

    /// Start and end (exclusive) of a local day `YYYY-MM-DD` in this zone.
    public func bounds(ofDay period: String) -> (start: Date, end: Date)? {
        LocalDay.bounds(of: period, in: timeZone)
    }
}
