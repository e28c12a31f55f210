import Foundation
import GRDB

/// An agent's or supervisor's contact details (seed §8.5 `agent_profiles`): where reports go when the webhook did
/// not carry them, and which supervisor group the agent belongs to.
public struct AgentProfile: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "agent_profiles"

    public enum Role: String, Codable, Sendable { case agent, supervisor }

    public var id: Int64?
    public var bid: String
    public var agentId: String
    public var agentName: String?
    public var phone: String?
    public var email: String?
    public var whatsapp: String?
    public var supervisorGroup: String?
    public var role: Role
    public var createdAt: Date
    public var updatedAt: Date

    public init(bid: String, agentId: String, agentName: String? = nil, phone: String? = nil, email: String? = nil, whatsapp: String? = nil,
                supervisorGroup: String? = nil, role: Role = .agent, now: Date = Date()) {
        self.bid = bid
        self.agentId = agentId
        self.agentName = agentName
        self.phone = phone
        self.email = email
        self.whatsapp = whatsapp
        self.supervisorGroup = supervisorGroup
        self.role = role
        self.createdAt = now
        self.updatedAt = now
    }
}
