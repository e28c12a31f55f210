import Foundation

/// `POST /webhook/bid-activated` answer: the BID's webhook secret for signing its call webhooks.
struct ActivatedBody: Encodable {
    var status = "activated"
    let bid: String
    let created: Bool
    let subscriptionStatus: String
    let webhookSecret: String
    let paidUntil: Date?
}

/// `POST /ops/pipeline/{bid}/retry-failed` answer.
struct RequeuedBody: Encodable {
    let bid: String
    let requeued: Int
}

/// `GET /ops/pipeline/health` answer.
struct HealthBody: Encodable {
    let status: String
    let version: String
    let database: String
    let queue: [String: [String: Int]]
}

/// One row of `GET /ops/pipeline/stuck-calls`.
struct StuckCallBody: Encodable {
    let bid: String
    let callid: String
    let processingState: String
    let stateChangedAt: Date
}
