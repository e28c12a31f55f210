import Foundation
import Hummingbird
import PCAACore
import PCAAStore

/// Reads `GET /call-records/{bid}` query parameters into a ``CallListQuery``, naming every bad one:
///
/// `agent_id` (exact), `agent` (id or name), `from` / `to` (a date `YYYY-MM-DD`, whole days in `tz`, `to`
/// inclusive; or an ISO 8601 time, `to` exclusive), `tz` (IANA zone for dates, default Asia/Kolkata),
/// `state` (processing states, comma-separated), `min_score` / `max_score` (0–100), `passed` (true|false),
/// `q` (words and "phrases" in the transcript; `word*` for a prefix), `limit` (1–500, default 50), `cursor`.
enum CallListParameters {
    static let known: Set<String> = ["agent_id", "agent", "from", "to", "tz", "state", "min_score", "max_score", "passed", "q", "limit", "cursor"]
    static let defaultTimeZone = "Asia/Kolkata"

    static func parse(bid: String, _ parameters: [String: String]) throws(ValidationErrors) -> CallListQuery {
        var query = CallListQuery(bid: bid)
        var errors: [FieldError] = []
        func fail(_ field: String, _ reason: String) { errors.append(FieldError(field: field, reason: reason)) }

        for name in parameters.keys.sorted() where !known.contains(name) {
            fail(String(name.prefix(64)), "is not a known parameter (known: \(known.sorted().joined(separator: ", ")))")
        }
        if let value = parameters["agent_id"] {
            if let problem = SafeIdentifier.callIDProblem(value) { fail("agent_id", problem) } else { query.agentID = value }
        }
        if let value = parameters["agent"] {
            if value.isEmpty || value.count > 200 { fail("agent", "must be 1–200 characters") } else { query.agent = value }
        }
        let zoneName = parameters["tz"] ?? defaultTimeZone
        let zone = TimeZone(identifier: zoneName)
        if zone == nil { fail("tz", "is not an IANA time zone (e.g. Asia/Kolkata, UTC)") }
        if let value = parameters["from"] {
            if let date = instant(value, zone: zone, endOfDay: false) { query.from = date } else { fail("from", "must be YYYY-MM-DD or an ISO 8601 time") }
        }
        if let value = parameters["to"] {
            if let date = instant(value, zone: zone, endOfDay: true) { query.before = date } else { fail("to", "must be YYYY-MM-DD or an ISO 8601 time") }
        }
        if let from = query.from, let before = query.before, before <= from { fail("to", "must be after from") }
        if let value = parameters["state"] {
            for name in value.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if let state = ProcessingState(rawValue: name) {
                    if !query.states.contains(state) { query.states.append(state) }
                } else {
                    fail("state", "'\(name.prefix(40))' is not a processing state (\(ProcessingState.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }
        }
        query.minScore = score(parameters["min_score"], "min_score", fail)
        query.maxScore = score(parameters["max_score"], "max_score", fail)
        if let low = query.minScore, let high = query.maxScore, low > high { fail("max_score", "must not be below min_score") }
        if let value = parameters["passed"] {
            switch value { case "true", "1": query.passed = true
            case "false", "0": query.passed = false
            default: fail("passed", "must be true or false") }
        }
        if let value = parameters["q"] {
            if value.count > 500 { fail("q", "must be at most 500 characters") }
            else if let search = FullTextQuery(value) { query.search = search }
            else { fail("q", "holds no word to search for") }
        }
        if let value = parameters["limit"] {
            if let limit = Int(value), (1...CallListQuery.maxLimit).contains(limit) { query.limit = limit }
            else { fail("limit", "must be a whole number from 1 to \(CallListQuery.maxLimit)") }
        }
        if let value = parameters["cursor"] {
            if let cursor = CallListCursor(token: value) { query.after = cursor } else { fail("cursor", "is not a cursor this server issued") }
        }
        guard errors.isEmpty else { throw ValidationErrors(errors) }
        return query
    }

    private static func score(_ value: String?, _ field: String, _ fail: (String, String) -> Void) -> Double? {
        guard let value else { return nil }
        guard let number = Double(value), number.isFinite, (0...100).contains(number) else {
            fail(field, "must be a number from 0 to 100")
            return nil
        }
        return number
    }

    /// A date (start of that day in `zone`, or of the next day for an inclusive end) or an exact time.
    static func instant(_ text: String, zone: TimeZone?, endOfDay: Bool) -> Date? {
        guard text.count == 10 else { return Timestamp.parse(text) }
        guard let zone, let day = LocalDay.bounds(of: text, in: zone) else { return nil }
        return endOfDay ? day.end : day.start
    }
}
