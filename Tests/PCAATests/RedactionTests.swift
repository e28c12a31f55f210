import PCAAAnalysis
import PCAACore
import Testing

/// PII redaction: cards (Luhn), phones, long numbers, e-mails, PAN, spoken digit strings; amounts and dates stay.
@Suite("Redaction")
struct RedactionTests {
    @Test func cardNumbersNeedTheLuhnCheck() {
        #expect(PIIRedactor.redact("my card is 4111 1111 1111 1111 ok") == "my card is [card] ok")
        #expect(PIIRedactor.redact("card 4111-1111-1111-1111.") == "card [card].")
        #expect(PIIRedactor.luhnValid("79927398713"))
        #expect(!PIIRedactor.luhnValid("4111111111111112"))
        // 16 digits failing Luhn: still personal-looking, redacted as a number rather than kept.
        #expect(PIIRedactor.redact("ref 4111 1111 1111 1112") == "ref [phone]" || PIIRedactor.redact("ref 4111 1111 1111 1112") == "ref [number]")
    }

    @Test func phonesEmailsAndPAN() {
        #expect(PIIRedactor.redact("call me on 98765 43210 please") == "call me on [phone] please")
        #expect(PIIRedactor.redact("+91 98765-43210") == "[phone]")
        #expect(PIIRedactor.redact("write to anita.sharma@example.co.in today") == "write to [email] today")
        #expect(PIIRedactor.redact("PAN is ABCDE1234F.") == "PAN is [pan].")
        #expect(PIIRedactor.redact("account 123456789012") == "account [phone]" || PIIRedactor.redact("account 123456789012") == "account [number]")
        #expect(PIIRedactor.redact("my number is nine eight seven six five four three two one zero") == "my number is [number]")
    }

    @Test func ordinaryNumbersStay() {
        let text = "The plan costs 4999 rupees, 20 agents, from 12.05.2026 for 3 months, call at 10:30."
        #expect(PIIRedactor.redact(text) == text)
        #expect(PIIRedactor.redact("Namaste 🙏 — कार्ड नंबर 4111 1111 1111 1111") == "Namaste 🙏 — कार्ड नंबर [card]")
    }

    @Test func transcriptsLoseTheWordTimingsThatCarriedData() {
        let segment = TranscriptSegment(start: 1, end: 4, role: .customer, text: "it is 4111 1111 1111 1111", words: [
            TranscriptWord(word: "it", start: 1, end: 1.2), TranscriptWord(word: "is", start: 1.2, end: 1.4),
            TranscriptWord(word: "4111", start: 1.4, end: 2), TranscriptWord(word: "1111", start: 2, end: 2.5),
        ])
        let transcript = TranscriptResult(text: segment.text, segments: [segment], language: "en", provider: "t", model: nil, audioDurationSeconds: 5)
        let redacted = PIIRedactor.redact(transcript)
        #expect(redacted.text == "it is [card]")
        #expect(redacted.segments[0].text == "it is [card]")
        #expect(redacted.segments[0].words?.map(\.word) == ["it", "is", "[redacted]", "[redacted]"])
    }
}

/// The finisher every analyzer's output passes through.
@Suite("AnalysisFinisher")
struct AnalysisFinisherTests {
    @Test func clampsTotalsChecksQuotesAndFails() {
        let transcript = TranscriptResult(text: "", segments: [
            TranscriptSegment(start: 0, end: 3, role: .agent, text: "Good morning, this is Richa from Mcube."),
            TranscriptSegment(start: 3, end: 6, role: .customer, text: "We need it by next month, budget is tight."),
        ], language: "en", provider: "t", model: nil, audioDurationSeconds: 6)
        let rubric = Rubric(items: [
            RubricItem(name: "Greeting", description: "", weight: 10, cuePhrases: [], autoFail: false),
            RubricItem(name: "Closing", description: "", weight: 30, cuePhrases: [], autoFail: false),
            RubricItem(name: "Disclosure", description: "", weight: 10, cuePhrases: [], autoFail: true),
        ], passThreshold: 50)
        let raw = AnalysisResult(
            analyzer: "llm", totalScore: 99,
            parameters: [
                ParameterScore(name: "greeting", score: 25, maxScore: 99, reason: " Greeted well ", evidence: "GOOD MORNING this is Richa"),
                ParameterScore(name: "Closing", score: 20, maxScore: 30, reason: "ok", evidence: "I will send you the proposal"),
                ParameterScore(name: "Invented item", score: 10, maxScore: 10, reason: "x"),
            ],
            bant: BANT(budget: BANTFinding(status: .identified, evidence: "budget is tight"),
                       timeline: BANTFinding(status: .identified, evidence: "by next year")),
            coaching: ["a", " ", "b", "c", "d"], summary: " s ", objections: ["Price", "price", " "])
        let result = AnalysisFinisher.finish(raw, rubric: rubric, transcript: transcript)
        #expect(result.parameters.map(\.name) == ["Greeting", "Closing", "Disclosure"])
        #expect(result.parameters[0].score == 10 && result.parameters[0].maxScore == 10)
        #expect(result.parameters[0].evidence == "GOOD MORNING this is Richa" && result.parameters[0].evidenceTime == 0)
        #expect(result.parameters[1].evidence == nil, "a quote that is not in the transcript is dropped")
        #expect(result.parameters[2].reason == "not assessed by the analyzer" && result.parameters[2].failedCall == true)
        #expect(result.totalScore == 60)
        #expect(result.passed == false, "60 ≥ 50, but the auto-fail item failed the call")
        #expect(result.bant?.budget.evidenceTime == 3)
        #expect(result.bant?.timeline.evidence == nil && result.bant?.timeline.status == .identified)
        #expect(result.coaching == ["a", "b", "c"])
        #expect(result.objections == ["Price"])
        #expect(result.summary == "s")
    }
}
