import Foundation
import GRDB

/// A `Date` bound as GRDB stores dates (`YYYY-MM-DD HH:MM:SS.SSS`, UTC) without going through `DateFormatter`,
/// which costs ICU work on every statement of the hot path (claims, completions, transitions).
public struct DatabaseTimestamp: DatabaseValueConvertible, Sendable {
    public let date: Date

    public init(_ date: Date) { self.date = date }

    public var databaseValue: DatabaseValue { Self.string(date).databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> DatabaseTimestamp? {
        Date.fromDatabaseValue(dbValue).map(DatabaseTimestamp.init)
    }

    /// `2026-11-25 12:00:01.250`, identical to GRDB's own encoding so stored values compare as text.
    public static func string(_ date: Date) -> String {
        // Like Foundation's formatter (which GRDB uses): milliseconds since 1970, rounded to the nearest.
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(totalMillis >= 0 ? totalMillis / 1000 : (totalMillis - 999) / 1000)
        let millis = Int(totalMillis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes = [UInt8](repeating: 0, count: 23)
        func put(_ value: Int, at offset: Int, width: Int) {
            var remaining = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(48 + remaining % 10)
                remaining /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, at: 0, width: 4)
        bytes[4] = 45
        put(Int(parts.tm_mon) + 1, at: 5, width: 2)
        bytes[7] = 45
        put(Int(parts.tm_mday), at: 8, width: 2)
        bytes[10] = 32
        put(Int(parts.tm_hour), at: 11, width: 2)
        bytes[13] = 58
        put(Int(parts.tm_min), at: 14, width: 2)
        bytes[16] = 58
        put(Int(parts.tm_sec), at: 17, width: 2)
        bytes[19] = 46
        put(millis, at: 20, width: 3)
        return String(decoding: bytes, as: UTF8.self)
    }
}
