import Foundation

/// A validated `pcaa.activated` webhook from Mcube's billing system.
public struct BIDActivatedEvent: Sendable, Equatable {
    public var bid: String
    public var businessName: String?
    public var plan: String
    public var activatedAt: Date?
    public var paidUntil: Date?
    /// When the billing system decided this; orders events. `occurred_at`, else `activated_at`.
    public var occurredAt: Date?
    /// The quality rubric template to provision: presales, support or collections.
    public var template: String?

    public static let eventName = "pcaa.activated"

    public init(bid: String, businessName: String?, plan: String, activatedAt: Date?, paidUntil: Date?, occurredAt: Date?, template: String?) {
        self.bid = bid
        self.businessName = businessName
        self.plan = plan
        self.activatedAt = activatedAt
        self.paidUntil = paidUntil
        self.occurredAt = occurredAt
        self.template = template
    }

    public static func validate(_ json: JSONValue) throws(ValidationErrors) -> BIDActivatedEvent {
        guard case .object(let object) = json else {
            throw ValidationErrors([FieldError(field: "(body)", reason: "must be a JSON object")])
        }
        var reader = FieldReader(object)
        if let event = reader.string("event", maxLength: 64), event != eventName { reader.fail("event", "must be \"\(eventName)\"") }
        let bid = reader.identifier("bid", check: SafeIdentifier.bidProblem)
        let name = reader.string("business_name")
        let plan = reader.string("plan", maxLength: 50)
        let activatedAt = reader.timestamp("activated_at")
        let paidUntil = reader.timestamp("paid_until")
        let occurredAt = reader.timestamp("occurred_at")
        let template = reader.choice("template", QualityTemplates.names)
        guard reader.errors.isEmpty, let bid else { throw ValidationErrors(reader.errors) }
        return BIDActivatedEvent(
            bid: bid, businessName: name, plan: plan ?? "standard", activatedAt: activatedAt,
            paidUntil: paidUntil, occurredAt: occurredAt ?? activatedAt, template: template
        )
    }
}

/// A validated `pcaa.deactivated` webhook.
public struct BIDDeactivatedEvent: Sendable, Equatable {
    public var bid: String
    public var reason: String?
    /// `suspended` (default; payment lapsed, can come back) or `cancelled`.
    public var status: SubscriptionStatus
    /// `occurred_at` or `deactivated_at`; when absent the time of receipt orders the event.
    public var occurredAt: Date?

    public static let eventName = "pcaa.deactivated"

    public init(bid: String, reason: String?, status: SubscriptionStatus, occurredAt: Date?) {
        self.bid = bid
        self.reason = reason
        self.status = status
        self.occurredAt = occurredAt
    }

    public static func validate(_ json: JSONValue) throws(ValidationErrors) -> BIDDeactivatedEvent {
        guard case .object(let object) = json else {
            throw ValidationErrors([FieldError(field: "(body)", reason: "must be a JSON object")])
        }
        var reader = FieldReader(object)
        if let event = reader.string("event", maxLength: 64), event != eventName { reader.fail("event", "must be \"\(eventName)\"") }
        let bid = reader.identifier("bid", check: SafeIdentifier.bidProblem)
        let reason = reader.string("reason", maxLength: 100)
        let status = reader.choice("status", ["suspended", "cancelled"])
        let occurredAt = reader.timestamp("occurred_at") ?? reader.timestamp("deactivated_at")
        guard reader.errors.isEmpty, let bid else { throw ValidationErrors(reader.errors) }
        return BIDDeactivatedEvent(
            bid: bid, reason: reason, status: status.flatMap(SubscriptionStatus.init(rawValue:)) ?? .suspended,
            occurredAt: occurredAt
        )
    }
}

/// A subscription's status (seed §6.1).
public enum SubscriptionStatus: String, Sendable, Codable, CaseIterable {
    case active, suspended, cancelled
}
