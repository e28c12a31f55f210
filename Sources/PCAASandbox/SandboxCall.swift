import Foundation
import PCAACore

/// Everything the run learned about one planned call: how its webhook(s) were answered and where it ended.
public struct SandboxCall: Sendable {
    public var call: PlannedCall
    /// The first POST (with its retries).
    public var delivery: WebhookDelivery
    /// The identical second POST of a ``CallKind/duplicate`` call, made after the first was acknowledged.
    public var repeatDelivery: WebhookDelivery?
    /// The call record read back after waiting; nil when the call was never acknowledged (or not checked).
    public var verification: CallVerification?

    public init(call: PlannedCall, delivery: WebhookDelivery, repeatDelivery: WebhookDelivery? = nil,
                verification: CallVerification? = nil) {
        self.call = call
        self.delivery = delivery
        self.repeatDelivery = repeatDelivery
        self.verification = verification
    }
}

/// What `GET /call-records/{bid}/{callid}` said about an acknowledged call.
public enum CallVerification: Sendable, Equatable {
    /// The record exists in `state`; `endToEndSeconds` = completed_at − webhook_received_at (nil when skipped
    /// or not completed); `lastError` is the record's last_error.
    case found(state: String, endToEndSeconds: Double?, lastError: String?)
    /// 404: the daemon acknowledged the webhook but has no such call.
    case missing
    /// The record could not be read (transport error, unexpected status or body).
    case unverifiable(String)

    /// Terminal processing states (the call leaves them only by an operator's retry or the archiver).
    public static let terminalStates: Set<String> = [
        "notified", "archived", "skipped", "failed_stt", "failed_analysis", "failed_notify",
    ]

    /// The record's state, when it was found.
    public var state: String? {
        if case .found(let state, _, _) = self { return state }
        return nil
    }

    /// Found in a terminal state.
    public var isTerminal: Bool { state.map(Self.terminalStates.contains) ?? false }
}

extension CallVerification {
    /// Interprets a `GET /call-records/{bid}/{callid}` answer:
    /// `{"call":{"processing_state","webhook_received_at","completed_at","last_error",…},…}` (ISO 8601 dates).
    public init(callRecord json: [String: Any]) {
        guard let call = json["call"] as? [String: Any], let state = call["processing_state"] as? String else {
            self = .unverifiable("call record without call.processing_state")
            return
        }
        var endToEnd: Double?
        if state != "skipped",
           let received = (call["webhook_received_at"] as? String).flatMap(Timestamp.parse),
           let completed = (call["completed_at"] as? String).flatMap(Timestamp.parse) {
            endToEnd = max(0, completed.timeIntervalSince(received))
        }
        self = .found(state: state, endToEndSeconds: endToEnd, lastError: call["last_error"] as? String)
    }
}
