import Foundation
import PCAACore

/// The outcome of a sandbox run: per-BID counts, end-to-end latency percentiles, problems and the verdict.
public struct SandboxReport: Sendable {
    /// Counts for one BID, or for the whole run (``SandboxReport/total``).
    public struct Row: Sendable, Equatable {
        public var bid: String
        /// Distinct calls posted.
        public var sent = 0
        /// First answers `queued` / `skipped`.
        public var queued = 0
        public var skipped = 0
        /// `duplicate` answers (the repeats of duplicate calls, plus any first answer that was a duplicate).
        public var duplicates = 0
        /// Calls whose webhook never got a 2xx.
        public var unacknowledged = 0
        /// Acknowledged calls the daemon does not know (404).
        public var missing = 0
        /// Acknowledged calls found in a non-terminal state, or whose record could not be read.
        public var notTerminal = 0
        /// Acknowledged calls by final processing state.
        public var states: [String: Int] = [:]
        /// completed_at − webhook_received_at of the non-skipped calls that completed.
        public var endToEndSeconds: [Double] = []

        public init(bid: String) {
            self.bid = bid
        }

        public var p50: Double? { SandboxReport.percentile(endToEndSeconds, 50) }
        public var p95: Double? { SandboxReport.percentile(endToEndSeconds, 95) }
    }

    /// One row per BID, in run order.
    public var rows: [Row]
    /// All BIDs together.
    public var total: Row
    /// Everything that went wrong or differed from the plan, one line each.
    public var problems: [String]
    /// Informational lines (e.g. why calls failed), not problems.
    public var notes: [String]
    /// Every webhook was acknowledged, and no acknowledged call is missing, unreadable or non-terminal.
    public var passed: Bool
    /// Every call, as planned, delivered and verified.
    public var calls: [SandboxCall]

    /// Builds the report from the calls of a run; `extraProblems` (e.g. from waiting) are listed first.
    public init(bids: [String], calls: [SandboxCall], extraProblems: [String] = []) {
        var rows = Dictionary(uniqueKeysWithValues: bids.map { ($0, Row(bid: $0)) })
        var total = Row(bid: "total")
        var problems = extraProblems
        var failureReasons: [String: Int] = [:]
        for result in calls {
            var row = rows[result.call.bid] ?? Row(bid: result.call.bid)
            let callProblems = Self.tally(result, into: &row, failureReasons: &failureReasons)
            Self.tally(result, into: &total, failureReasons: &failureReasons, countFailures: false)
            problems += callProblems
            rows[result.call.bid] = row
        }
        let order = bids + rows.keys.filter { !bids.contains($0) }.sorted()
        self.rows = order.compactMap { rows[$0] }
        self.total = total
        self.problems = problems
        self.notes = failureReasons.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.value) × \($0.key)" }
        self.passed = total.missing == 0 && total.notTerminal == 0 && total.unacknowledged == 0
        self.calls = calls
    }

    /// Adds one call to `row`; returns its problems.
    @discardableResult
    private static func tally(_ result: SandboxCall, into row: inout Row, failureReasons: inout [String: Int],
                              countFailures: Bool = true) -> [String] {
        let call = result.call
        let name = "\(call.bid)/\(call.callid) (\(call.kind.rawValue))"
        var problems: [String] = []
        row.sent += 1
        guard result.delivery.isAcknowledged else {
            row.unacknowledged += 1
            return ["\(name): webhook never acknowledged: \(result.delivery.failureSummary)"]
        }
        switch result.delivery.answer {
        case "queued": row.queued += 1
        case "skipped": row.skipped += 1
        case "duplicate": row.duplicates += 1
        default: break
        }
        if result.delivery.answer != call.expectedStatus {
            problems.append("\(name): expected \(call.expectedStatus), got \(result.delivery.answer ?? "no status")"
                            + (result.delivery.attempts > 1 ? " (after \(result.delivery.attempts) attempts)" : ""))
        }
        if call.postsTwice, let repeated = result.repeatDelivery {
            if repeated.answer == "duplicate" { row.duplicates += 1 }
            if !repeated.isAcknowledged {
                problems.append("\(name): repeated webhook never acknowledged: \(repeated.failureSummary)")
            } else if repeated.answer != "duplicate" {
                problems.append("\(name): repeated webhook answered \(repeated.answer ?? "no status"), expected duplicate")
            }
        }
        switch result.verification {
        case .found(let state, let endToEnd, let lastError)?:
            row.states[state, default: 0] += 1
            if let endToEnd { row.endToEndSeconds.append(endToEnd) }
            if !CallVerification.terminalStates.contains(state) {
                row.notTerminal += 1
                problems.append("\(name): not terminal, still \(state)")
            } else if call.expectedStatus == "skipped", state != "skipped" {
                problems.append("\(name): expected to end skipped, ended \(state)")
            }
            if countFailures, state.hasPrefix("failed_") {
                failureReasons["\(state): \(lastError ?? "no error recorded")", default: 0] += 1
            }
        case .missing?:
            row.missing += 1
            problems.append("\(name): acknowledged but missing (404)")
        case .unverifiable(let reason)?:
            row.notTerminal += 1
            problems.append("\(name): could not read the call record: \(reason)")
        case nil:
            row.notTerminal += 1
            problems.append("\(name): acknowledged but not verified")
        }
        return problems
    }

    /// Nearest-rank percentile (`p` in 0…100) of `values`; nil when empty.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        Percentile.nearestRank(values, p)
    }

    /// Final states seen in the run, in pipeline order (unknown states last, by name).
    public var stateColumns: [String] {
        let seen = Set(total.states.keys)
        let known = ProcessingState.allCases.map(\.rawValue).filter(seen.contains)
        return known + seen.subtracting(known).sorted()
    }

    /// The summary: the table (one row per BID and a total), then notes, problems (at most `maxProblems`) and the verdict.
    /// A first header line groups the columns: webhook answers, final states of the acknowledged calls, end-to-end seconds.
    public func table(maxProblems: Int = 40) -> String {
        let states = stateColumns
        let answers = ["sent", "queued", "skipped", "dup", "no-ack"]
        let finals = states + ["missing"]
        let header = ["BID"] + answers + finals + ["p50 s", "p95 s"]
        func cells(_ row: Row) -> [String] {
            [row.bid, "\(row.sent)", "\(row.queued)", "\(row.skipped)", "\(row.duplicates)", "\(row.unacknowledged)"]
                + states.map { "\(row.states[$0] ?? 0)" }
                + ["\(row.missing)", Self.seconds(row.p50), Self.seconds(row.p95)]
        }
        let body = rows.map(cells)
        let totalCells = cells(total)
        let all = [header] + body + [totalCells]
        var widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        // Column groups, each titled above its columns (widened if the title is longer).
        let groups = [(title: "", columns: 0..<1), (title: "webhook answers", columns: 1..<1 + answers.count),
                      (title: "final state", columns: 1 + answers.count..<1 + answers.count + finals.count),
                      (title: "end-to-end", columns: header.count - 2..<header.count)]
        for group in groups {
            let span = group.columns.map { widths[$0] }.reduce(0, +) + 2 * (group.columns.count - 1)
            if group.title.count > span, let last = group.columns.last { widths[last] += group.title.count - span }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        let titles = groups.map { group -> String in
            let span = group.columns.map { widths[$0] }.reduce(0, +) + 2 * (group.columns.count - 1)
            let pad = max(0, span - group.title.count)
            return String(repeating: " ", count: pad / 2) + group.title + String(repeating: " ", count: pad - pad / 2)
        }.joined(separator: "  ")
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        var lines = [titles, line(header), rule] + body.map(line) + [rule, line(totalCells)]
        while lines[0].hasSuffix(" ") { lines[0].removeLast() }
        if !notes.isEmpty {
            lines.append("")
            lines.append("notes:")
            lines += notes.map { "  \($0)" }
        }
        if !problems.isEmpty {
            lines.append("")
            lines.append("problems (\(problems.count)):")
            lines += problems.prefix(maxProblems).map { "  - \($0)" }
            if problems.count > maxProblems { lines.append("  … and \(problems.count - maxProblems) more") }
        }
        lines.append("")
        lines.append(passed
            ? "PASSED: every acknowledged call reached a terminal state"
            : "FAILED: \(total.missing) missing, \(total.notTerminal) not terminal or unreadable, \(total.unacknowledged) never acknowledged")
        return lines.joined(separator: "\n")
    }

    private static func seconds(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
    }
}
