/// What a provider may know about the call it works on.
public struct CallContext: Sendable, Equatable {
    public var bid: String
    public var callid: String
    public var direction: String?
    public var language: String
    public var agentName: String?
    public var agentID: String?
    public var agentEmail: String?
    public var agentPhone: String?
    public var customerPhone: String?
    public var groupName: String?
    public var durationSeconds: Int
    /// Which stereo channel is whom, from `bid_config.channel_map` (see ``ChannelMap``).
    public var channelMap: String
    /// How diarized speakers of a mono call become roles, from `bid_config.first_speaker` (see ``FirstSpeakerRule``).
    public var firstSpeaker: String
    /// The BID's objection theme families as JSON (theme → keywords), from `bid_config.objection_themes`; nil for the
    /// built-in ones.
    public var objectionThemes: String?

    public init(
        bid: String, callid: String, direction: String? = nil, language: String, agentName: String? = nil,
        agentID: String? = nil, agentEmail: String? = nil, agentPhone: String? = nil, customerPhone: String? = nil,
        groupName: String? = nil, durationSeconds: Int, channelMap: String = "left=agent",
        firstSpeaker: String = "agent_on_outbound"
    ) {
        self.bid = bid
        self.callid = callid
        self.direction = direction
        self.language = language
        self.agentName = agentName
        self.agentID = agentID
        self.agentEmail = agentEmail
        self.agentPhone = agentPhone
        self.customerPhone = customerPhone
        self.groupName = groupName
        self.durationSeconds = durationSeconds
        self.channelMap = channelMap
        self.firstSpeaker = firstSpeaker
    }

    /// The channel map; an unrecognised stored value falls back to the default `left=agent`.
    public var channels: ChannelMap { ChannelMap(text: channelMap) ?? .leftAgent }

    /// The first-speaker rule; an unrecognised stored value maps nobody (`none`).
    public var speakerRule: FirstSpeakerRule { FirstSpeakerRule(rawValue: firstSpeaker) ?? .none }
}
