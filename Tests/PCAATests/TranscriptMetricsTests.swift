import PCAAAnalysis
import PCAACore
import Testing

/// Transcript metrics on hand-made segments whose figures can be worked out on paper.
@Suite("TranscriptMetrics")
struct TranscriptMetricsTests {
    static func seg(_ role: SpeakerRole, _ start: Double, _ end: Double, _ text: String) -> TranscriptSegment {
        TranscriptSegment(start: start, end: end, role: role, text: text)
    }

    /// 60 s call. Agent 0–10 (20 words), customer 9–15 (interrupts the agent by 1 s), 7 s of dead air, agent 22–40
    /// and 40–50 in two segments (one 28 s monologue), customer 51–55, silence to the end.
    static let call = [
        seg(.agent, 0, 10, "Good morning this is Richa from Mcube calling about your enquiry on our cloud telephony plans today. How are you?"),
        seg(.customer, 9, 15, "I am fine. What does it cost?"),
        seg(.agent, 22, 40, "It costs five hundred a month for each agent and includes recording"),
        seg(.agent, 40, 50, "and it also includes reports. Can I book a demo?"),
        seg(.customer, 51, 55, "Yes please"),
    ]

    @Test func figuresMatchTheirDefinitions() {
        let metrics = TranscriptMetrics.compute(segments: Self.call, duration: 60)
        #expect(metrics.speechSeconds[.agent] == 38)
        #expect(metrics.speechSeconds[.customer] == 10)
        #expect(abs((metrics.talkPercent(.agent) ?? 0) - 38.0 / 48 * 100) < 1e-9)
        // Covered: 0–15, 22–50, 51–55 = 15 + 28 + 4 = 47 s of 60 → 21.67 % silence.
        #expect(abs(metrics.silencePercent - 13.0 / 60 * 100) < 1e-9)
        // Gaps between stretches: 15→22 (7 s: dead air), 50→51 (1 s); the 5 s after the last word is not dead air.
        #expect(metrics.deadAirCount == 1)
        #expect(metrics.longestGapSeconds == 7)
        #expect(metrics.interruptions[.customer] == 1)
        #expect(metrics.interruptions[.agent, default: 0] == 0)
        #expect(metrics.overtalkSeconds == 1)
        #expect(metrics.longestAgentMonologueSeconds == 28)
        #expect(metrics.turns[.agent] == 2 && metrics.turns[.customer] == 2)
        #expect(metrics.questions[.agent] == 2 && metrics.questions[.customer] == 1)
        #expect(metrics.words[.agent] == 20 + 12 + 10)
        #expect(abs(metrics.wordsPerMinute(.agent) - 42.0 / (38.0 / 60)) < 1e-9)
        let stored = metrics.asDictionary
        for key in ["agent_talk_percent", "customer_talk_percent", "silence_percent", "dead_air_count", "longest_gap_s", "agent_interruptions",
                    "customer_interruptions", "overtalk_s", "longest_agent_monologue_s", "agent_wpm", "customer_wpm", "agent_turns",
                    "customer_turns", "agent_questions", "customer_questions"] {
            #expect(stored[key] != nil, "\(key) missing")
        }
        #expect(stored["dead_air_count"] == 1)
    }

    @Test func questionsWithoutPunctuationUseQuestionWords() {
        let plain = [Self.seg(.agent, 0, 5, "what plan do you use"), Self.seg(.customer, 5, 8, "the basic one"),
                     Self.seg(.agent, 8, 10, "can i send details")]
        let metrics = TranscriptMetrics.compute(segments: plain, duration: 10)
        #expect(metrics.questions[.agent] == 2)
        #expect(metrics.questions[.customer, default: 0] == 0)
    }

    @Test func silentCallAndUnknownRoles() {
        let empty = TranscriptMetrics.compute(segments: [], duration: 30)
        #expect(empty.silencePercent == 100 && empty.talkPercent(.agent) == nil && empty.deadAirCount == 0)
        let mono = TranscriptMetrics.compute(segments: [Self.seg(.unknown, 0, 5, "hello"), Self.seg(.unknown, 4, 8, "hi")], duration: 8)
        #expect(mono.interruptions.isEmpty && mono.overtalkSeconds == 0 && mono.longestAgentMonologueSeconds == 0)
        #expect(mono.talkPercent(.unknown) == 100)
    }
}
