import Foundation
import PCAACore

/// Step 2: subscribes each BID with a signed `pcaa.activated` webhook and collects its webhook secret.
struct BIDActivator {
    let client: DaemonClient
    let platformSecret: String
    let log: @Sendable (String) -> Void

    /// The `pcaa.activated` body for BID number `number`.
    static func body(bid: String, number: Int, now: Date) -> [UInt8] {
        var json = JSONObjectWriter()
        json.add("event", BIDActivatedEvent.eventName)
        json.add("bid", bid)
        json.add("business_name", "Sandbox \(number)")
        json.add("plan", "standard")
        json.add("activated_at", Timestamp.iso8601(now))
        json.add("paid_until", Timestamp.iso8601(now.addingTimeInterval(30 * 86_400)))
        return json.bytes
    }

    /// Activates every BID in order; returns their webhook secrets. Throws ``SandboxError/activationFailed(bid:reason:)``.
    func activate(_ bids: [String]) async throws -> [String: String] {
        var secrets: [String: String] = [:]
        for (offset, bid) in bids.enumerated() {
            let body = Self.body(bid: bid, number: offset + 1, now: Date())
            let delivery = try await client.postSigned("/webhook/bid-activated", body: body, secret: platformSecret)
            guard delivery.isAcknowledged else {
                throw SandboxError.activationFailed(bid: bid, reason: delivery.failureSummary)
            }
            guard let secret = delivery.webhookSecret, !secret.isEmpty else {
                throw SandboxError.activationFailed(
                    bid: bid, reason: "the answer has no webhook_secret (status \(delivery.answer ?? "none"))")
            }
            secrets[bid] = secret
        }
        log("activated \(bids.count) BID\(bids.count == 1 ? "" : "s"): \(bids.joined(separator: ", "))")
        return secrets
    }
}
