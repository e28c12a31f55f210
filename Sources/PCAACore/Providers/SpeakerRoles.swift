/// Which stereo channel carries whom: `bid_config.channel_map`.
///
/// - `left=agent` (the default) / `left=customer`: fixed.
/// - `left=caller` / `left=callee`: direction-aware. The left channel is the party that placed (or received) the
///   call, so on an outbound call the caller is the agent and on an inbound call the customer. When the webhook
///   gave no direction both channels are `unknown` rather than a guess.
public enum ChannelMap: String, Sendable, CaseIterable {
    case leftAgent = "left=agent"
    case leftCustomer = "left=customer"
    case leftCaller = "left=caller"
    case leftCallee = "left=callee"

    /// Parses the stored text (spaces and case ignored); nil when it is none of the accepted values.
    public init?(text: String) {
        let normalized = text.filter { !$0.isWhitespace }.lowercased()
        guard let map = ChannelMap(rawValue: normalized) else { return nil }
        self = map
    }

    /// The role of stereo channel `channel` (0 = left) on a call with this `direction` (`inbound`/`outbound`/nil).
    public func role(ofChannel channel: Int, direction: String?) -> SpeakerRole {
        let leftIsAgent: Bool
        switch self {
        case .leftAgent: leftIsAgent = true
        case .leftCustomer: leftIsAgent = false
        case .leftCaller, .leftCallee:
            guard let outbound = Self.isOutbound(direction) else { return .unknown }
            leftIsAgent = (self == .leftCaller) == outbound
        }
        guard channel == 0 || channel == 1 else { return .unknown }
        return (channel == 0) == leftIsAgent ? .agent : .customer
    }

    static func isOutbound(_ direction: String?) -> Bool? {
        switch direction?.lowercased() {
        case "outbound": return true
        case "inbound": return false
        default: return nil
        }
    }
}

/// How diarized speakers on a mono recording become roles: `bid_config.first_speaker`.
///
/// - `agent_on_outbound` (the default): on an outbound call the first speaker is the agent and the next one the
///   customer; on inbound calls or without a direction the speakers stay `unknown` (nothing to go on).
/// - `agent`: the first speaker is the agent whatever the direction (an inbound desk that answers with a greeting).
/// - `customer`: the first speaker is the customer.
/// - `none`: never map; every diarized speaker stays `unknown`.
///
/// Speakers are ordered by when they first speak; a third or later speaker is always `unknown`.
public enum FirstSpeakerRule: String, Sendable, CaseIterable {
    case agentOnOutbound = "agent_on_outbound"
    case agent
    case customer
    case none

    /// The role of each speaker label in `labelsInOrderOfFirstSpeech` on a call with this direction.
    public func roles(labelsInOrderOfFirstSpeech labels: [String], direction: String?) -> [String: SpeakerRole] {
        let first: SpeakerRole
        switch self {
        case .agentOnOutbound:
            guard ChannelMap.isOutbound(direction) == true else { return Dictionary(uniqueKeysWithValues: labels.map { ($0, .unknown) }) }
            first = .agent
        case .agent: first = .agent
        case .customer: first = .customer
        case .none: return Dictionary(uniqueKeysWithValues: labels.map { ($0, .unknown) })
        }
        let second: SpeakerRole = first == .agent ? .customer : .agent
        var roles: [String: SpeakerRole] = [:]
        for (index, label) in labels.enumerated() {
            roles[label] = index == 0 ? first : index == 1 ? second : .unknown
        }
        return roles
    }

    /// Applies the rule to segments carrying `speakerLabel`s; segments without a label stay `unknown`.
    public func label(_ segments: [TranscriptSegment], direction: String?) -> [TranscriptSegment] {
        var order: [String] = []
        for segment in segments.sorted(by: { $0.start < $1.start }) {
            if let label = segment.speakerLabel, !order.contains(label) { order.append(label) }
        }
        let roles = roles(labelsInOrderOfFirstSpeech: order, direction: direction)
        return segments.map { segment in
            var copy = segment
            copy.role = segment.speakerLabel.flatMap { roles[$0] } ?? .unknown
            return copy
        }
    }
}
