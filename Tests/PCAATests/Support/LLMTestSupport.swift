import Foundation
import Hummingbird
import PCAACore

// Shared pieces of the language-model fakes (Bedrock Converse, OpenAI chat): a call, a rubric, and answers.

/// What a fake chat server saw in one request.
struct ChatCall: Sendable {
    /// The request body as JSON text.
    var body: String
    var headers: [String: String]
    var path: String
    /// Problems the fake found with the request (bad signature, missing header, wrong shape).
    var problems: [String]

    /// The parsed body (fails the test's expectations rather than crashing when it is not JSON).
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
}

/// A scripted sequence of replies: request n gets `replies[n]` (the last one repeats).
final class ChatScript: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [ChatCall] = []
    let replies: [FakeReply]

    init(_ replies: [FakeReply]) { self.replies = replies }

    var calls: [ChatCall] { lock.withLock { received } }

    /// Records `call` and returns the reply for it.
    func record(_ call: ChatCall) -> FakeReply {
        lock.withLock {
            received.append(call)
            return replies[min(received.count, replies.count) - 1]
        }
    }
}

enum LLMFixture {
    static let transcript = TranscriptResult(
        text: "", segments: [
            TranscriptSegment(start: 0.5, end: 4, role: .agent, text: "Good morning, this is Richa calling from Mcube broadband."),
            TranscriptSegment(start: 4.5, end: 8, role: .customer, text: "Hello, yes. We need faster internet for our office of twenty people."),
            TranscriptSegment(start: 9, end: 14, role: .agent, text: "Who decides on the connection, and what budget do you have in mind?"),
            TranscriptSegment(start: 14.5, end: 20, role: .customer, text: "I decide. Around five thousand a month, but the other company is cheaper."),
            TranscriptSegment(start: 65, end: 70, role: .agent, text: "I will send you the proposal today and call you on Friday."),
        ], language: "en", provider: "test", model: nil, audioDurationSeconds: 72)

    static let rubric = Rubric(items: [
        RubricItem(name: "Greeting", description: "Greets and introduces self and company", weight: 10, cuePhrases: [], autoFail: false,
                   window: .opening),
        RubricItem(name: "Needs discovery", description: "Asks about needs, decision maker and budget", weight: 20, cuePhrases: [],
                   autoFail: false),
        RubricItem(name: "No abuse", description: "No abusive or threatening language", weight: 10, cuePhrases: [], autoFail: true,
                   kind: .prohibited, speaker: .agent),
    ], passThreshold: 70)

    static let call = CallContext(bid: "6004", callid: "llm-1", direction: "outbound", language: "en-IN", durationSeconds: 72,
                                  channelMap: "left=agent", firstSpeaker: "agent_on_outbound")

    /// A valid answer. `inventedQuote` replaces the Needs discovery evidence with a quote the call does not contain.
    static func answer(inventedQuote: Bool = false) -> String {
        jsonText([
            "parameters": [
                ["name": "Greeting", "score": 10, "reason": "Greeted and named herself and the company.",
                 "evidence": "Good morning, this is Richa calling from Mcube", "violated": NSNull()],
                ["name": "Needs discovery", "score": 16, "reason": "Asked about the decision maker and budget.",
                 "evidence": inventedQuote ? "How many branches does your company have" : "what budget do you have in mind",
                 "violated": NSNull()],
                ["name": "No abuse", "score": 10, "reason": "Polite throughout.", "evidence": NSNull(), "violated": false],
            ],
            "bant": [
                "need": ["status": "identified", "detail": "faster internet for 20 people", "evidence": "We need faster internet"],
                "authority": ["status": "identified", "detail": "the customer decides", "evidence": "I decide"],
                "budget": ["status": "identified", "detail": "about 5,000 a month", "evidence": "Around five thousand a month"],
                "timeline": ["status": "not_discussed", "detail": NSNull(), "evidence": NSNull()],
            ],
            "coaching": ["Ask when they want the connection live.", "Answer the price comparison with the speed difference."],
            "summary": "Outbound broadband call; the customer needs faster internet and compares prices.",
            "objections": ["price", "competitor"],
            "sentiment": "neutral",
        ])
    }

    /// An answer missing required keys and with a wrong enum value.
    static let invalidAnswer = #"{"parameters": [{"name": "Greeting", "score": "ten"}], "sentiment": "happy"}"#

    static let secretMarkers = ["wJalrXUtnFEMI", "SESSIONTOKEN", "sk-test-"]
}

/// The `Retry-After`-style header list of a reply, as a dictionary keyed by lower-case name.
func lowercasedHeaders(_ request: Request) -> [String: String] {
    var headers: [String: String] = [:]
    for field in request.headers { headers[field.name.rawName.lowercased()] = field.value }
    return headers
}
