import Foundation
import Hummingbird
import Logging
import PCAACore
import PCAAStore

/// The bookkeeping shared by the webhook handlers: read the body within the limit, parse it strictly, and write
/// the `webhook_log` row and the log line for every refusal. Storage failures become 503 + Retry-After so Mcube
/// retries instead of believing a call was stored.
struct WebhookTrail {
    let environment: HTTPEnvironment
    let eventType: String
    let receivedAt = Date()
    var bid: String?
    var callid: String?

    init(environment: HTTPEnvironment, eventType: String) {
        self.environment = environment
        self.eventType = eventType
    }

    func readBody(_ request: Request) async throws -> [UInt8] {
        let limit = environment.config.server.maxBodyBytes
        do {
            return try await RequestBody.collect(request, limit: limit)
        } catch is RequestBody.TooLarge {
            throw await refuse(.tooLarge(limit: limit), body: nil, signatureValid: false)
        }
    }

    func parse(_ body: [UInt8]) async throws -> JSONValue {
        do {
            return try StrictJSON.parse(body)
        } catch {
            throw await refuse(.malformed(error.description), body: body, signatureValid: false)
        }
    }

    /// For platform-signed events: verify the signature over the raw body, then parse.
    mutating func verifiedPlatformEvent(_ request: Request) async throws -> (JSONValue, [UInt8]) {
        let body = try await readBody(request)
        let signature = request.headers[.mcubeSignature]
        guard WebhookSignature.isValid(header: signature, body: body, secrets: [environment.platformSecret]) else {
            throw await refuse(.badSignature, body: body, signatureValid: false)
        }
        let json = try await parse(body)
        if case .string(let value)? = json["bid"], SafeIdentifier.isValidBID(value) { bid = value }
        return (json, body)
    }

    /// Runs a store operation, mapping storage failures (disk full, read-only, locked) to 503 with Retry-After.
    func guarded<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch {
            environment.logger.error("storage_error", metadata: [
                "event_type": "\(eventType)", "bid": "\(bid ?? "-")", "callid": "\(callid ?? "-")", "error": "\(error)",
            ])
            await environment.alerts.raise("storage_error", bid: nil, message: "webhooks are refused with 503: \(error)")
            throw APIError.unavailable("the call could not be stored; retry later")
        }
    }

    /// Logs and records a refused request, returning the error to throw.
    func refuse(_ error: APIError, body: [UInt8]?, signatureValid: Bool) async -> APIError {
        environment.logger.notice("webhook_refused", metadata: [
            "event_type": "\(eventType)", "bid": "\(bid ?? "-")", "callid": "\(callid ?? "-")",
            "status": "\(error.status.code)", "reason": "\(error.code)",
        ])
        await record(body: body, status: Int(error.status.code), reason: error.code, signatureValid: signatureValid)
        return error
    }

    /// Writes the `webhook_log` row; a failure to log is itself logged, never raised.
    func record(body: [UInt8]?, status: Int, reason: String?, signatureValid: Bool = true) async {
        let entry = WebhookLogEntry(
            bid: bid, eventType: eventType, callid: callid, payload: body.map(WebhookLogEntry.storablePayload),
            signatureValid: signatureValid, queued: false, httpStatus: status, skipReason: reason, receivedAt: receivedAt
        )
        do {
            try await environment.database.logWebhook(entry)
        } catch {
            environment.logger.error("webhook_log_failed", metadata: ["error": "\(error)"])
            await environment.alerts.raise("storage_error", bid: nil, message: "webhook_log cannot be written: \(error)")
        }
    }
}
