import PCAACore

/// One turn of a conversation with a language model.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable { case user, assistant }
    public var role: Role
    public var text: String

    public init(role: Role, text: String) {
        self.role = role
        self.text = text
    }
}

/// What a chat API client is asked: the system prompt, the turns so far, and the answer's JSON schema (for APIs
/// with structured output).
public struct ChatRequest: Sendable {
    public var system: String
    public var messages: [ChatMessage]
    public var schema: JSONValue
}

/// A model's reply: its text, and whether it stopped at the token limit.
public struct ChatReply: Sendable, Equatable {
    public var text: String
    public var truncated: Bool

    public init(text: String, truncated: Bool) {
        self.text = text
        self.truncated = truncated
    }
}

/// A chat API (Bedrock Converse, OpenAI-compatible chat completions). Throws `StageError`s, never echoing
/// credentials.
public protocol ChatModelClient: Sendable {
    /// The model name stored with the result.
    var model: String { get }
    /// True when the API enforces the schema itself (`response_format`); otherwise it is written into the prompt.
    var enforcesSchema: Bool { get }
    func complete(_ request: ChatRequest) async throws -> ChatReply
}
