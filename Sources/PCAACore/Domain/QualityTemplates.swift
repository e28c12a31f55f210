/// One rubric item provisioned for a new BID (seed §2.7). Weights of a template sum to 100.
public struct QualityParameterTemplate: Sendable, Equatable {
    public let name: String
    public let description: String
    public let weight: Int
    public let cuePhrases: [String]
    public let autoFail: Bool
    public let kind: RubricItemKind
    public let window: RubricWindow

    /// The analyzer's view of this template item (agent speech).
    public var rubricItem: RubricItem {
        RubricItem(name: name, description: description, weight: weight, cuePhrases: cuePhrases, autoFail: autoFail, kind: kind, window: window)
    }
}

/// The default rubrics for presales, support and collections teams; editable per BID after activation.
///
/// Expected items earn their weight from cue phrases said by the agent (in the opening or closing of the call where
/// marked); prohibited items (weight 0 where they only guard) fail the call when the agent says one of their phrases.
public enum QualityTemplates {
    public static let names = ["presales", "support", "collections"]

    public static func template(named name: String) -> [QualityParameterTemplate] {
        switch name {
        case "support": support
        case "collections": collections
        default: presales
        }
    }

    private static func item(
        _ name: String, _ weight: Int, _ description: String, _ cues: [String], autoFail: Bool = false,
        kind: RubricItemKind = .expected, window: RubricWindow = .anywhere
    ) -> QualityParameterTemplate {
        QualityParameterTemplate(name: name, description: description, weight: weight, cuePhrases: cues, autoFail: autoFail, kind: kind, window: window)
    }

    /// Abuse and insults no agent may use (English and common Hinglish); shared by the prohibited items below.
    public static let abusivePhrases = [
        "shut up", "idiot", "stupid", "nonsense", "get lost", "useless fellow", "go to hell", "bloody", "damn you",
        "bakwas", "bewakoof", "chup kar", "pagal", "ullu", "kamina",
    ]

    static let presales: [QualityParameterTemplate] = [
        item("Greeting", 10, "Agent greets, introduces self and company by name early in the call",
             ["good morning", "good afternoon", "good evening", "hello", "namaste", "my name is", "this is", "calling from"],
             window: .opening),
        item("Need discovery", 15, "Agent asks open questions to understand the customer's requirement",
             ["what are you looking for", "can you tell me", "how do you currently", "what is your requirement", "how many",
              "what kind of", "which", "may i know"]),
        item("Product knowledge", 15, "Agent explains features and pricing accurately and confidently",
             ["feature", "plan", "pricing", "price", "package", "includes", "per month", "offer"]),
        item("Active listening", 15, "Agent acknowledges and paraphrases the customer's concerns",
             ["i understand", "so you mean", "if i understood correctly", "got it", "you mentioned", "right, so"]),
        item("Objection handling", 15, "Agent addresses objections with specific proof points",
             ["i understand your concern", "many of our customers", "the benefit is", "compared to", "that is a valid point",
              "let me explain"]),
        item("Closing", 15, "Agent proposes a clear next step: demo, trial, payment or follow-up date",
             ["shall i schedule", "next step", "send you the proposal", "follow up", "demo", "i will send", "call you back"],
             window: .closing),
        item("Professional tone", 15, "Agent stays polite and professional",
             ["thank you", "please", "sorry for the inconvenience", "my pleasure"]),
        item("No abusive language", 0, "The agent never insults or abuses the customer", abusivePhrases,
             autoFail: true, kind: .prohibited),
    ]

    static let support: [QualityParameterTemplate] = [
        item("Greeting and verification", 10, "Agent greets and verifies the customer's identity",
             ["hello", "thank you for calling", "may i have your", "registered number", "date of birth", "verify"],
             window: .opening),
        item("Problem understanding", 20, "Agent restates the issue to confirm understanding",
             ["so the issue is", "let me confirm", "i understand", "you are saying", "just to confirm"]),
        item("Resolution", 25, "Agent resolves the issue or gives a clear path to resolution",
             ["i have fixed", "resolved", "ticket number", "it will be done", "has been blocked", "i have raised", "i have unblocked",
              "i have updated", "i have activated", "you will get", "within"]),
        item("Empathy", 15, "Agent acknowledges the customer's frustration",
             ["sorry for the inconvenience", "i understand how", "i apologize", "i am sorry", "i can understand"]),
        item("Hold etiquette", 10, "Agent asks before placing on hold and thanks after",
             ["may i put you on hold", "thank you for holding", "thanks for waiting", "please stay on the line", "one moment"]),
        item("Closing", 20, "Agent confirms the issue is solved and offers further help",
             ["anything else", "is there anything", "have a nice day", "have a good day", "thank you for calling"],
             window: .closing),
        item("Compliance", 0, "No abusive language and no asking for secrets (full card number, CVV, OTP, PIN) on the call",
             abusivePhrases + ["tell me your cvv", "share your otp", "tell me the otp", "your pin number", "full card number"],
             autoFail: true, kind: .prohibited),
    ]

    static let collections: [QualityParameterTemplate] = [
        item("Greeting and identification", 10, "Agent identifies self, company and confirms the right party",
             ["my name is", "calling from", "am i speaking with", "speaking to"], window: .opening),
        item("Mini-Miranda disclosure", 15, "Agent states the purpose of the call and that it is recorded",
             ["this call is recorded", "call is being recorded", "regarding your payment", "outstanding amount"],
             autoFail: true, window: .opening),
        item("Payment discussion", 25, "Agent states the dues clearly and negotiates a payment",
             ["due amount", "emi", "payment", "pay by", "outstanding"]),
        item("Promise to pay", 20, "Agent secures a specific date and amount",
             ["by when", "which date", "promise", "commit", "confirm the date"]),
        item("Professional tone", 20, "Agent stays calm and polite under pressure",
             ["please", "thank you", "i understand", "sir", "madam"]),
        item("Closing", 10, "Agent summarises the commitment and next steps",
             ["to summarise", "i will send", "reminder", "as agreed"], window: .closing),
        item("No threats or harassment", 0, "No threats, harassment or abusive language",
             abusivePhrases + ["police", "we will come to your house", "arrest", "tell your family", "jail", "your office"],
             autoFail: true, kind: .prohibited),
    ]
}
