import PCAACore

/// `analyzer = "bedrock"` and `analyzer = "openai"`: scores a call with a language model through one shared
/// procedure. The prompt (``LLMPrompt``) carries the rubric and the numbered transcript; the reply must validate
/// against ``LLMAnswerSchema`` and the rubric. An unusable reply is answered once with the validation problems;
/// a second unusable reply fails the job transiently (`analysis_invalid_output`), so the queue tries again later.
public struct LanguageModelAnalyzer: CallAnalyzer, CustomStringConvertible {
    public let name: String
    public let client: any ChatModelClient
    /// The transcript leaves the box: BIDs with `redact_pii = "llm"` send a redacted copy.
    public var sendsTranscriptOffBox: Bool { true }

    public init(name: String, client: any ChatModelClient) {
        self.name = name
        self.client = client
    }

    public var description: String { "LanguageModelAnalyzer(\(name), model: \(client.model))" }

    public func analyze(transcript: TranscriptResult, rubric: Rubric, call: CallContext) async throws -> AnalysisResult {
        let system = LLMPrompt.system(embedSchema: !client.enforcesSchema)
        var messages = [ChatMessage(role: .user, text: LLMPrompt.user(transcript: transcript, rubric: rubric, call: call))]
        var lastProblems: [String] = []
        for attempt in 1...2 {
            let reply = try await client.complete(ChatRequest(system: system, messages: messages, schema: LLMAnswerSchema.schema))
            switch LLMAnswerParser.parse(reply.text, truncated: reply.truncated, rubric: rubric) {
            case .success(let answer):
                return LLMAnswerMapper.result(answer, rubric: rubric, analyzer: name, model: client.model)
            case .failure(let invalid):
                lastProblems = invalid.problems
                guard attempt == 1 else { break }
                messages.append(ChatMessage(role: .assistant, text: reply.text.isEmpty ? "(empty answer)" : reply.text))
                messages.append(ChatMessage(role: .user, text: LLMPrompt.feedback(invalid.problems)))
            }
        }
        throw StageError.transient(
            "analysis_invalid_output",
            "\(name): the model's answer was unusable twice: \(lastProblems.prefix(3).joined(separator: "; ").prefix(300))")
    }
}
