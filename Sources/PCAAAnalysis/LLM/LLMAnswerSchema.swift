import PCAACore

/// The JSON schema of a language model's analysis (prompt `llm-v1`): sent as OpenAI's strict `response_format`,
/// written into the system prompt for Bedrock, and what every answer is validated against before it is used.
///
/// Strict-mode rules apply: every property is required and no others are allowed; optional values are nullable.
public enum LLMAnswerSchema {
    public static let name = "call_analysis"

    public static let schema: JSONValue = object([
        "parameters": .object(["type": .string("array"), "items": object([
            "name": type("string"),
            "score": type("number"),
            "reason": type("string"),
            "evidence": type("string", nullable: true),
            "violated": type("boolean", nullable: true),
        ])]),
        "bant": object([
            "need": finding, "authority": finding, "budget": finding, "timeline": finding,
        ]),
        "coaching": .object(["type": .string("array"), "items": type("string")]),
        "summary": type("string"),
        "objections": .object(["type": .string("array"), "items": type("string")]),
        "sentiment": .object(["type": .string("string"), "enum": .array(Sentiment.allCases.map { .string($0.rawValue) })]),
    ])

    static let finding: JSONValue = object([
        "status": .object(["type": .string("string"), "enum": .array([.string("identified"), .string("not_discussed")])]),
        "detail": type("string", nullable: true),
        "evidence": type("string", nullable: true),
    ])

    private static func object(_ properties: [String: JSONValue]) -> JSONValue {
        .object([
            "type": .string("object"),
            "properties": .object(properties),
            "required": .array(properties.keys.sorted().map { .string($0) }),
            "additionalProperties": .bool(false),
        ])
    }

    private static func type(_ name: String, nullable: Bool = false) -> JSONValue {
        .object(["type": nullable ? .array([.string(name), .string("null")]) : .string(name)])
    }
}
