import Foundation

/// How one webhook POST ended, after Mcube's retries.
public struct WebhookDelivery: Sendable, Equatable {
    /// POSTs made (1–3).
    public var attempts: Int
    /// HTTP status of the last answer, nil when the last attempt got no answer at all.
    public var httpStatus: Int?
    /// The `status` field of the 2xx JSON answer: `queued`, `skipped`, `duplicate`, … (nil without a 2xx).
    public var answer: String?
    /// When the 2xx arrived; nil when no attempt got one.
    public var acknowledgedAt: Date?
    /// Why the webhook was not acknowledged: the last transport error or the refusing answer's body.
    public var error: String?
    /// The `webhook_secret` of a `pcaa.activated` answer (internal: never printed).
    var webhookSecret: String?

    public init(attempts: Int, httpStatus: Int?, answer: String?, acknowledgedAt: Date?, error: String?) {
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.answer = answer
        self.acknowledgedAt = acknowledgedAt
        self.error = error
    }

    /// Whether some attempt got a 2xx.
    public var isAcknowledged: Bool { acknowledgedAt != nil }

    /// A short description of a failed delivery for the problem list.
    var failureSummary: String {
        let last = httpStatus.map { "HTTP \($0)" } ?? "no answer"
        return "\(last) after \(attempts) attempt\(attempts == 1 ? "" : "s")" + (error.map { ": \($0)" } ?? "")
    }
}
