import Foundation
import PCAACore

/// What a planned call tests, and so which answer the daemon should give.
public enum CallKind: String, Sendable, CaseIterable {
    /// Answered and long enough: expect `queued`, then processing to a terminal state.
    case eligible
    /// NOANSWER or BUSY: expect `skipped`.
    case notAnswered = "not_answered"
    /// Answered but 3 s long, under the daemon's default 10 s minimum: expect `skipped`.
    case tooShort = "too_short"
    /// Eligible, and posted a second time once the first POST succeeded: expect `queued`, then `duplicate`.
    case duplicate
}

/// One `call.completed` webhook of the plan, with everything that goes into its body except the clock.
public struct PlannedCall: Sendable, Equatable {
    /// Position in the plan (0-based); also the send order.
    public var index: Int
    public var bid: String
    /// 20 digits, like Mcube's call ids.
    public var callid: String
    public var kind: CallKind
    /// `ANSWER`, `NOANSWER` or `BUSY`.
    public var callStatus: String
    /// `inbound` or `outbound`.
    public var direction: String
    public var durationSeconds: Int
    /// Agent number `k`: `agent_name` "Agent k", `agent_id` "AGk", `agent_email` "agent<k>@example.com".
    public var agent: Int
    public var agentPhone: String
    public var customerPhone: String
    /// How long before the POST the call ended.
    public var endedSecondsAgo: Int

    /// The first answer the daemon should give: `queued` or `skipped`.
    public var expectedStatus: String {
        switch kind {
        case .eligible, .duplicate: "queued"
        case .notAnswered, .tooShort: "skipped"
        }
    }

    /// Whether the webhook is posted a second time (expecting `duplicate`).
    public var postsTwice: Bool { kind == .duplicate }

    /// The exact webhook body, with `recording_url` under `recordingBaseURL` (e.g. `http://127.0.0.1:4711`).
    public func body(recordingBaseURL: String, now: Date) -> [UInt8] {
        let end = now.addingTimeInterval(-Double(endedSecondsAgo))
        let start = end.addingTimeInterval(-Double(durationSeconds))
        var json = JSONObjectWriter()
        json.add("event", CallCompletedEvent.eventName)
        json.add("bid", bid)
        json.add("callid", callid)
        json.add("agent_name", "Agent \(agent)")
        json.add("agent_id", "AG\(agent)")
        json.add("agent_email", "agent\(agent)@example.com")
        json.add("agent_phone", agentPhone)
        json.add("customer_phone", customerPhone)
        json.add("call_starttime", Timestamp.iso8601(start))
        json.add("call_endtime", Timestamp.iso8601(end))
        json.add("duration_seconds", durationSeconds)
        json.add("call_status", callStatus)
        json.add("direction", direction)
        json.add("recording_url", "\(recordingBaseURL)/recordings/\(callid).wav")
        json.add("group_name", "Team A")
        return json.bytes
    }
}

/// The calls of one sandbox run, derived deterministically from a seed.
public struct CallPlan: Sendable {
    public var bids: [String]
    public var calls: [PlannedCall]

    /// Plans `count` calls over `bids` (round robin). About 10 % each of not answered, too short and
    /// sent twice (rounded; none below 5 calls), the rest eligible with 20–600 s, shuffled by `seed`.
    /// Call ids are `callIDEpoch` (10 digits, e.g. the run's start in Unix seconds) followed by 10 digits
    /// unique within the plan, so runs started at different seconds never reuse an id.
    public static func make(bids: [String], count: Int, seed: UInt64, callIDEpoch: Int) -> CallPlan {
        precondition(!bids.isEmpty, "a plan needs at least one BID")
        var random = SeededGenerator(seed: seed)
        let tenth = Int((Double(max(0, count)) * 0.1).rounded())
        var kinds = [CallKind](repeating: .notAnswered, count: tenth)
            + [CallKind](repeating: .tooShort, count: tenth)
            + [CallKind](repeating: .duplicate, count: tenth)
        kinds += [CallKind](repeating: .eligible, count: max(0, count - kinds.count))
        kinds.shuffle(using: &random)

        let firstSequence = Int(random.next() % 8_000_000_000) + 1_000_000_000
        var calls: [PlannedCall] = []
        calls.reserveCapacity(kinds.count)
        for (index, kind) in kinds.enumerated() {
            let status: String
            let duration: Int
            switch kind {
            case .notAnswered:
                status = Bool.random(using: &random) ? "NOANSWER" : "BUSY"
                duration = 0
            case .tooShort:
                status = "ANSWER"
                duration = 3
            case .eligible, .duplicate:
                status = "ANSWER"
                duration = Int.random(in: 20...600, using: &random)
            }
            let agent = Int.random(in: 1...20, using: &random)
            calls.append(PlannedCall(
                index: index,
                bid: bids[index % bids.count],
                callid: digits(callIDEpoch, width: 10) + digits(firstSequence + index, width: 10),
                kind: kind,
                callStatus: status,
                direction: Bool.random(using: &random) ? "inbound" : "outbound",
                durationSeconds: duration,
                agent: agent,
                agentPhone: "98765" + digits(agent, width: 5),
                customerPhone: "91" + digits(Int.random(in: 0..<100_000_000, using: &random), width: 8),
                endedSecondsAgo: Int.random(in: 5...120, using: &random)))
        }
        return CallPlan(bids: bids, calls: calls)
    }

    /// Call ids of the plan, for the recording server's list of known names.
    public var callids: Set<String> { Set(calls.map(\.callid)) }

    /// `count` BID names: `<prefix><tag>-<n>`, or `<prefix><n>` when `tag` is empty (n from 1).
    /// Throws ``SandboxError/invalidOptions(_:)`` when a name would not be a valid BID.
    public static func bidNames(prefix: String, tag: String, count: Int) throws -> [String] {
        guard count >= 1 else { throw SandboxError.invalidOptions("--bids must be at least 1") }
        let names = (1...count).map { tag.isEmpty ? "\(prefix)\($0)" : "\(prefix)\(tag)-\($0)" }
        for name in names {
            if let problem = SafeIdentifier.bidProblem(name) {
                throw SandboxError.invalidOptions("BID \"\(name)\" \(problem)")
            }
        }
        return names
    }

    /// A random 4-character run tag of lower-case letters and digits.
    public static func randomRunTag() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<4).map { _ in alphabet.randomElement()! })
    }

    /// `value` as decimal, left-padded with zeros to `width` (longer values are kept whole).
    static func digits(_ value: Int, width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
