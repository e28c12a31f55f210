import Foundation
import Hummingbird
import Logging
import PCAACore
import PCAAStore

/// `POST /webhook/call-completed`, `/webhook/bid-activated`, `/webhook/bid-deactivated` (seed §5).
/// Every request, refused or not, leaves a `webhook_log` row.
struct WebhookController<Context: RequestContext> {
    let environment: HTTPEnvironment

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("call-completed", use: callCompleted)
        group.post("bid-activated", use: bidActivated)
        group.post("bid-deactivated", use: bidDeactivated)
    }

    // MARK: call.completed

    /// Seed §5.4: 401 bad signature, 403 unknown/inactive BID, 200 duplicate/skipped/queued.
    @Sendable func callCompleted(request: Request, context: Context) async throws -> Response {
        var trail = WebhookTrail(environment: environment, eventType: CallCompletedEvent.eventName)
        let body = try await trail.readBody(request)
        let signature = request.headers[.mcubeSignature]
        guard signature != nil else { throw await trail.refuse(.badSignature, body: body, signatureValid: false) }

        let json = try await trail.parse(body)
        let bid: String
        switch json["bid"] {
        case .string(let value)? where SafeIdentifier.isValidBID(value):
            bid = value
            trail.bid = value
        default:
            let problem = FieldError(field: "bid", reason: "is required and must be a safe BID (letters, digits, '_', '-')")
            throw await trail.refuse(.invalid(ValidationErrors([problem])), body: body, signatureValid: false)
        }
        if case .string(let callid)? = json["callid"], SafeIdentifier.isValidCallID(callid) { trail.callid = callid }

        let now = Date()
        let gate = try await trail.guarded { try await environment.database.webhookGate(bid: bid, now: now) }
        guard let gate else {
            throw await trail.refuse(APIError(.forbidden, code: "unknown_bid", message: "BID \(bid) is not subscribed to PCAA"),
                                     body: body, signatureValid: false)
        }
        guard WebhookSignature.isValid(header: signature, body: body, secrets: gate.secrets) else {
            throw await trail.refuse(.badSignature, body: body, signatureValid: false)
        }
        guard gate.status == .active else {
            throw await trail.refuse(Self.inactive(bid, gate.status), body: body, signatureValid: true)
        }
        let event: CallCompletedEvent
        do {
            event = try CallCompletedEvent.validate(json)
        } catch {
            throw await trail.refuse(.invalid(error), body: body, signatureValid: true)
        }

        let payload = WebhookLogEntry.storablePayload(body)
        let outcome = try await trail.guarded {
            try await environment.database.ingestCall(event, payload: payload, maxAttempts: environment.config.queue.maxAttempts, now: now)
        }
        var metadata: Logger.Metadata = ["bid": "\(event.bid)", "callid": "\(event.callid)"]
        switch outcome {
        case .queued:
            environment.logger.info("call_queued", metadata: metadata)
            return try JSONResponse.make(["status": "queued", "bid": event.bid, "callid": event.callid])
        case .skipped(let reason):
            metadata["skip_reason"] = "\(reason)"
            environment.logger.info("call_skipped", metadata: metadata)
            return try JSONResponse.make(["status": "skipped", "reason": reason, "bid": event.bid, "callid": event.callid])
        case .duplicate:
            environment.logger.info("call_duplicate", metadata: metadata)
            return try JSONResponse.make(["status": "duplicate", "bid": event.bid, "callid": event.callid])
        case .inactive(let status):
            environment.logger.notice("call_refused_inactive_bid", metadata: metadata)
            throw Self.inactive(event.bid, status)
        }
    }

    static func inactive(_ bid: String, _ status: SubscriptionStatus?) -> APIError {
        APIError(.forbidden, code: "bid_inactive", message: "BID \(bid) is \(status?.rawValue ?? "not subscribed"); calls are not accepted")
    }

    // MARK: Subscription events

    @Sendable func bidActivated(request: Request, context: Context) async throws -> Response {
        var trail = WebhookTrail(environment: environment, eventType: BIDActivatedEvent.eventName)
        let (json, body) = try await trail.verifiedPlatformEvent(request)
        let event: BIDActivatedEvent
        do { event = try BIDActivatedEvent.validate(json) } catch {
            throw await trail.refuse(.invalid(error), body: body, signatureValid: true)
        }
        trail.bid = event.bid
        let change = try await trail.guarded {
            try await environment.database.activate(event, defaults: environment.config.defaults, now: Date())
        }
        await trail.record(body: body, status: 200, reason: change.isStale ? "stale_event" : nil)
        switch change {
        case .applied(let subscription, let created):
            environment.logger.notice("bid_activated", metadata: ["bid": "\(event.bid)", "created": "\(created)"])
            return try JSONResponse.make(ActivatedBody(bid: subscription.bid, created: created, subscriptionStatus: subscription.status.rawValue,
                                                   webhookSecret: subscription.webhookSecret, paidUntil: subscription.paidUntil))
        case .stale(let subscription):
            environment.logger.notice("bid_activation_ignored_stale", metadata: ["bid": "\(event.bid)"])
            return try JSONResponse.make(["status": "ignored", "reason": "stale_event", "bid": subscription.bid,
                                          "subscription_status": subscription.status.rawValue])
        }
    }

    @Sendable func bidDeactivated(request: Request, context: Context) async throws -> Response {
        var trail = WebhookTrail(environment: environment, eventType: BIDDeactivatedEvent.eventName)
        let (json, body) = try await trail.verifiedPlatformEvent(request)
        let event: BIDDeactivatedEvent
        do { event = try BIDDeactivatedEvent.validate(json) } catch {
            throw await trail.refuse(.invalid(error), body: body, signatureValid: true)
        }
        trail.bid = event.bid
        let change = try await trail.guarded { try await environment.database.deactivate(event, now: Date()) }
        await trail.record(body: body, status: 200, reason: change.isStale ? "stale_event" : nil)
        switch change {
        case .applied(let subscription, _):
            environment.logger.notice("bid_deactivated", metadata: ["bid": "\(event.bid)", "status": "\(subscription.status.rawValue)"])
            return try JSONResponse.make(["status": subscription.status.rawValue, "bid": subscription.bid])
        case .stale(let subscription):
            return try JSONResponse.make(["status": "ignored", "reason": "stale_event", "bid": subscription.bid,
                                          "subscription_status": subscription.status.rawValue])
        }
    }
}

extension SubscriptionChange {
    var isStale: Bool {
        if case .stale = self { return true }
        return false
    }
}
