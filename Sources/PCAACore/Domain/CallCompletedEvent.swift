import Foundation

/// A validated `call.completed` webhook (seed §5.1), the contract Mcube posts when a recording is ready.
public struct CallCompletedEvent: Sendable, Equatable {
    public var bid: String
    public var callid: String
    public var agentName: String?
    public var agentID: String?
    public var agentEmail: String?
    public var agentPhone: String?
    public var customerPhone: String?
    public var callStartTime: Date?
    public var callEndTime: Date?
    public var durationSeconds: Int
    /// Upper-cased dial status: `ANSWER`, `NOANSWER`, `BUSY`, `CANCEL`, …
    public var callStatus: String
    public var direction: String?
    public var recordingURL: String?
    public var groupName: String?

    public static let eventName = "call.completed"
    public static let maxDurationSeconds = 24 * 3600

    /// Checks every field and returns the event, or all the problems at once.
    public static func validate(_ json: JSONValue) throws(ValidationErrors) -> CallCompletedEvent {
        guard case .object(let object) = json else {
            throw ValidationErrors([FieldError(field: "(body)", reason: "must be a JSON object")])
        }
        var reader = FieldReader(object)
        if let event = reader.string("event", maxLength: 64), event != eventName {
            reader.fail("event", "must be \"\(eventName)\"")
        }
        let bid = reader.identifier("bid", check: SafeIdentifier.bidProblem)
        let callid = reader.identifier("callid", check: SafeIdentifier.callIDProblem)
        let agentName = reader.string("agent_name")
        let agentID = reader.string("agent_id", maxLength: 128)
        let agentEmail = reader.string("agent_email", maxLength: 254)
        if let email = agentEmail, !Self.looksLikeEmail(email) { reader.fail("agent_email", "is not an email address") }
        let agentPhone = reader.string("agent_phone", maxLength: 32)
        if let phone = agentPhone, !Self.looksLikePhone(phone) { reader.fail("agent_phone", "is not a phone number") }
        let customerPhone = reader.string("customer_phone", maxLength: 32)
        if let phone = customerPhone, !Self.looksLikePhone(phone) { reader.fail("customer_phone", "is not a phone number") }
        let start = reader.timestamp("call_starttime")
        let end = reader.timestamp("call_endtime")
        if let start, let end, end < start { reader.fail("call_endtime", "is before call_starttime") }
        var duration = reader.integer("duration_seconds", range: 0...maxDurationSeconds)
        if duration == nil, object["duration_seconds"] == nil {
            if let start, let end {
                duration = Int((end.timeIntervalSince(start)).rounded())
            } else {
                reader.fail("duration_seconds", "is required (or both call_starttime and call_endtime)")
            }
        }
        let status = reader.string("call_status", required: true, maxLength: 32)
        if let status, !status.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == " ") }) {
            reader.fail("call_status", "must be a dial status like ANSWER or NOANSWER")
        }
        let direction = reader.choice("direction", ["inbound", "outbound"])
        let recordingURL = reader.string("recording_url", maxLength: 2048)
        if let url = recordingURL, !Self.isHTTPURL(url) { reader.fail("recording_url", "must be an http or https URL") }
        if status?.uppercased() == "ANSWER", recordingURL == nil, !reader.errors.contains(where: { $0.field == "recording_url" }) {
            reader.fail("recording_url", "is required for an answered call")
        }
        let groupName = reader.string("group_name")

        guard reader.errors.isEmpty, let bid, let callid, let duration, let status else {
            throw ValidationErrors(reader.errors)
        }
        return CallCompletedEvent(
            bid: bid, callid: callid, agentName: agentName, agentID: agentID, agentEmail: agentEmail,
            agentPhone: agentPhone, customerPhone: customerPhone, callStartTime: start, callEndTime: end,
            durationSeconds: duration, callStatus: status.uppercased(), direction: direction,
            recordingURL: recordingURL, groupName: groupName
        )
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    static func looksLikePhone(_ text: String) -> Bool {
        let digits = text.filter(\.isNumber).count
        return digits >= 3 && text.allSatisfy { $0.isASCII && ($0.isNumber || "+-() X".contains($0)) }
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard text.allSatisfy({ $0.isASCII && !$0.isWhitespace }),
              let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
