import Foundation
import GRDB

/// One pipeline event for a call or a BID (seed §7.5): state changes, attempts, errors.
public struct ProcessingLogEntry: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "processing_log"

    public var id: Int64?
    public var bid: String
    public var callid: String?
    public var stage: String
    public var status: String
    public var workerId: String?
    public var attempt: Int?
    public var durationMs: Int?
    public var errorMessage: String?
    public var createdAt: Date

    public init(
        bid: String, callid: String?, stage: String, status: String, workerId: String? = nil, attempt: Int? = nil,
        durationMs: Int? = nil, errorMessage: String? = nil, createdAt: Date
    ) {
        self.bid = bid
        self.callid = callid
        self.stage = stage
        self.status = status
        self.workerId = workerId
        self.attempt = attempt
        self.durationMs = durationMs
        self.errorMessage = errorMessage
        self.createdAt = createdAt
    }

}
