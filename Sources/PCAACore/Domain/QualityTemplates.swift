/// One rubric item provisioned for a new BID (seed §2.7). Weights of a template sum to 100.
public struct QualityParameterTemplate: Sendable, Equatable {
    public let name: String
    public let description: String
    public let weight: Int
    public let cuePhrases: [String]
    public let autoFail: Bool
}

/// The default rubrics for presales, support and collections teams; editable per BID after activation.
public enum QualityTemplates {
    public static let names = ["presales", "support", "collections"]

    public static func template(named name: String) -> [QualityParameterTemplate] {
        switch name {
        case "support": support
        case "collections": collections
        default: presales
        }
    }

    private static func item(_ name: String, _ weight: Int, _ description: String, _ cues: [String], autoFail: Bool = false) -> QualityParameterTemplate {
        QualityParameterTemplate(name: name, description: description, weight: weight, cuePhrases: cues, autoFail: autoFail)
    }

    static let presales: [QualityParameterTemplate] = [
        item("Greeting", 10, "Agent greets, introduces self and company by name early in the call",
             ["good morning", "good afternoon", "hello", "my name is", "this is", "calling from"]),
        item("Need discovery", 15, "Agent asks open questions to understand the customer's requirement",
             ["what are you looking for", "can you tell me", "how do you currently", "what is your requirement"]),
        item("Product knowledge", 15, "Agent explains features and pricing accurately and confidently",
             ["feature", "plan", "pricing", "package", "includes"]),
        item("Active listening", 15, "Agent acknowledges and paraphrases the customer's concerns",
             ["i understand", "so you mean", "if i understood correctly", "got it"]),
        item("Objection handling", 15, "Agent addresses objections with specific proof points",
             ["i understand your concern", "many of our customers", "the benefit is", "compared to"]),
        item("Closing", 15, "Agent proposes a clear next step: demo, trial, payment or follow-up date",
             ["shall i schedule", "next step", "send you the proposal", "follow up", "demo"]),
        item("Professional tone", 15, "Agent stays polite and professional; no rude or abusive language",
             ["thank you", "please", "sorry for the inconvenience"]),
    ]

    static let support: [QualityParameterTemplate] = [
        item("Greeting and verification", 10, "Agent greets and verifies the customer's identity",
             ["hello", "thank you for calling", "may i have your", "registered number"]),
        item("Problem understanding", 20, "Agent restates the issue to confirm understanding",
             ["so the issue is", "let me confirm", "i understand"]),
        item("Resolution", 25, "Agent resolves the issue or gives a clear path to resolution",
             ["i have fixed", "resolved", "ticket number", "it will be done"]),
        item("Empathy", 15, "Agent acknowledges the customer's frustration",
             ["sorry for the inconvenience", "i understand how", "i apologize"]),
        item("Hold etiquette", 10, "Agent asks before placing on hold and thanks after",
             ["may i put you on hold", "thank you for holding", "thanks for waiting"]),
        item("Closing", 10, "Agent confirms the issue is solved and offers further help",
             ["anything else", "is there anything", "have a nice day"]),
        item("Compliance", 10, "No abusive language and no sharing of sensitive data over the call",
             [], autoFail: true),
    ]

    static let collections: [QualityParameterTemplate] = [
        item("Greeting and identification", 10, "Agent identifies self, company and confirms the right party",
             ["my name is", "calling from", "am i speaking with"]),
        item("Mini-Miranda disclosure", 15, "Agent states the purpose of the call and that it is recorded",
             ["this call is recorded", "regarding your payment", "outstanding amount"], autoFail: true),
        item("Payment discussion", 25, "Agent states the dues clearly and negotiates a payment",
             ["due amount", "emi", "payment", "pay by"]),
        item("Promise to pay", 20, "Agent secures a specific date and amount",
             ["by when", "which date", "promise", "commit"]),
        item("Tone and compliance", 20, "No threats, harassment or abusive language",
             ["please", "thank you"], autoFail: true),
        item("Closing", 10, "Agent summarises the commitment and next steps",
             ["to summarise", "i will send", "reminder"]),
    ]
}
