import Foundation
import GRDB

/// One inbound webhook, accepted or not (seed §5.5).
public struct WebhookLogEntry: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "webhook_log"
    /// Payloads of rejected requests are stored up to this many bytes.
    public static let maxStoredPayloadBytes = 64 * 1024

    public var id: Int64?
    public var bid: String?
    public var eventType: String
    public var callid: String?
    public var payload: String?
    public var signatureValid: Bool
    public var queued: Bool
    public var httpStatus: Int
    public var skipReason: String?
    public var receivedAt: Date

    public init(
        bid: String?, eventType: String, callid: String?, payload: String?, signatureValid: Bool, queued: Bool,
        httpStatus: Int, skipReason: String?, receivedAt: Date
    ) {
        self.bid = bid
        self.eventType = eventType
        self.callid = callid
        self.payload = payload
        self.signatureValid = signatureValid
        self.queued = queued
        self.httpStatus = httpStatus
        self.skipReason = skipReason
        self.receivedAt = receivedAt
    }


    /// The body as stored: lossy UTF-8 with NULs replaced, cut at `maxStoredPayloadBytes`.
    public static func storablePayload(_ body: [UInt8]) -> String {
        let slice = body.prefix(maxStoredPayloadBytes)
        let text = String(decoding: slice, as: UTF8.self).replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
        return body.count > maxStoredPayloadBytes ? text + "…[truncated \(body.count) bytes]" : text
    }
}
