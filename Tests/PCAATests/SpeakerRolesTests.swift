import PCAACore
import Testing

/// Channel maps (fixed and direction-aware) and the first-speaker rule for diarized mono calls.
@Suite("SpeakerRoles")
struct SpeakerRolesTests {
    @Test func fixedChannelMaps() {
        #expect(ChannelMap(text: " Left = Agent ") == .leftAgent)
        #expect(ChannelMap(text: "left=customer")?.role(ofChannel: 0, direction: nil) == .customer)
        #expect(ChannelMap.leftAgent.role(ofChannel: 0, direction: "inbound") == .agent)
        #expect(ChannelMap.leftAgent.role(ofChannel: 1, direction: "inbound") == .customer)
        #expect(ChannelMap.leftAgent.role(ofChannel: 2, direction: nil) == .unknown)
        #expect(ChannelMap(text: "left=boss") == nil)
    }

    @Test func directionAwareChannelMaps() {
        #expect(ChannelMap.leftCaller.role(ofChannel: 0, direction: "outbound") == .agent)
        #expect(ChannelMap.leftCaller.role(ofChannel: 0, direction: "inbound") == .customer)
        #expect(ChannelMap.leftCaller.role(ofChannel: 1, direction: "inbound") == .agent)
        #expect(ChannelMap.leftCallee.role(ofChannel: 0, direction: "outbound") == .customer)
        #expect(ChannelMap.leftCallee.role(ofChannel: 0, direction: "INBOUND") == .agent)
        // No direction: say unknown rather than guess.
        #expect(ChannelMap.leftCaller.role(ofChannel: 0, direction: nil) == .unknown)
        #expect(ChannelMap.leftCaller.role(ofChannel: 1, direction: "sideways") == .unknown)
    }

    private func segments(_ labels: [String?]) -> [TranscriptSegment] {
        labels.enumerated().map { TranscriptSegment(start: Double($0.offset), end: Double($0.offset) + 0.9, role: .unknown, text: "t\($0.offset)", speakerLabel: $0.element) }
    }

    @Test func firstSpeakerOnOutboundIsTheAgent() {
        let labelled = FirstSpeakerRule.agentOnOutbound.label(segments(["B", "A", "B", "C", nil]), direction: "outbound")
        #expect(labelled.map(\.role) == [.agent, .customer, .agent, .unknown, .unknown])
        // Order is by time, not by position in the list.
        var shuffled = segments(["B", "A"])
        shuffled[0].start = 5
        shuffled[0].end = 6
        #expect(FirstSpeakerRule.agentOnOutbound.label(shuffled, direction: "outbound").map(\.role) == [.customer, .agent])
    }

    @Test func nothingToGoOnMeansUnknown() {
        let input = segments(["A", "B"])
        #expect(FirstSpeakerRule.agentOnOutbound.label(input, direction: "inbound").allSatisfy { $0.role == .unknown })
        #expect(FirstSpeakerRule.agentOnOutbound.label(input, direction: nil).allSatisfy { $0.role == .unknown })
        #expect(FirstSpeakerRule.none.label(input, direction: "outbound").allSatisfy { $0.role == .unknown })
    }

    @Test func configuredRulesApplyWhateverTheDirection() {
        let input = segments(["A", "B", "A"])
        #expect(FirstSpeakerRule.agent.label(input, direction: "inbound").map(\.role) == [.agent, .customer, .agent])
        #expect(FirstSpeakerRule.customer.label(input, direction: nil).map(\.role) == [.customer, .agent, .customer])
    }

    @Test func contextFallsBackSafelyOnUnknownStoredValues() {
        let context = CallContext(bid: "b", callid: "c", language: "en", durationSeconds: 1, channelMap: "garbage", firstSpeaker: "garbage")
        #expect(context.channels == .leftAgent)
        #expect(context.speakerRule == .none)
    }
}
