import Foundation
import Hummingbird
import PCAAAnalysis
import PCAACore
import Testing

/// The `openai` analyzer against a fake OpenAI-compatible `/v1/chat/completions` on 127.0.0.1 that checks the
/// Bearer key and the strict `json_schema` response format, and answers in the chat-completion shape (content
/// as a JSON string) or OpenAI's `{"error":{message, type, code}}` bodies.
@Suite("OpenAI analyzer")
struct OpenAIAnalyzerTests {
    static let key = "sk-test-0123456789abcdefwxyz"

    static func analyzer(_ base: String, key: String = key) -> LanguageModelAnalyzer {
        LanguageModelAnalyzer(name: "openai", client: OpenAIChatClient(baseURL: base, apiKey: key, model: "gpt-4o-mini", timeout: 30,
                                                                      maxTokens: 1500, temperature: 0))
    }

    func analyze(_ base: String, key: String = key) async throws -> AnalysisResult {
        let raw = try await Self.analyzer(base, key: key).analyze(transcript: LLMFixture.transcript, rubric: LLMFixture.rubric,
                                                                 call: LLMFixture.call)
        return AnalysisFinisher.finish(raw, rubric: LLMFixture.rubric, transcript: LLMFixture.transcript)
    }

    @Test func validAnswerBecomesAScoredResult() async throws {
        let fake = FakeOpenAIChat([FakeOpenAIChat.completion(LLMFixture.answer())])
        try await fake.run { base in
            let result = try await analyze(base + "/v1/")
            let calls = fake.script.calls
            try #require(calls.count == 1)
            #expect(calls[0].problems.isEmpty, "\(calls[0].problems)")
            #expect(calls[0].headers["authorization"] == "Bearer \(Self.key)")
            let body = calls[0].json
            let format = body["response_format"] as? [String: Any]
            #expect(format?["type"] as? String == "json_schema")
            let schema = format?["json_schema"] as? [String: Any]
            #expect(schema?["strict"] as? Bool == true && schema?["name"] as? String == "call_analysis")
            #expect(((schema?["schema"] as? [String: Any])?["required"] as? [String])?.contains("bant") == true)
            #expect(body["model"] as? String == "gpt-4o-mini" && body["max_tokens"] as? Int == 1500)
            let messages = body["messages"] as? [[String: Any]] ?? []
            #expect(messages.map { $0["role"] as? String } == ["system", "user"])
            #expect((messages[0]["content"] as? String)?.contains("\"additionalProperties\"") == false, "the schema goes in response_format")
            #expect((messages[1]["content"] as? String)?.contains("4. [0:14] CUSTOMER: I decide.") == true)

            #expect(result.analyzer == "openai" && result.model == "gpt-4o-mini" && result.promptVersion == "llm-v1")
            #expect(result.parameters.map(\.score) == [10, 16, 10] && result.totalScore == 90 && result.passed == true)
            #expect(result.parameters[0].reason == "Greeted and named herself and the company.")
            #expect(result.bant?.need.evidence == "We need faster internet" && result.bant?.need.evidenceTime == 4.5)
            #expect(result.coaching == ["Ask when they want the connection live.", "Answer the price comparison with the speed difference."])
            #expect(result.sentiment == .neutral)
        }
    }

    @Test func invalidAnswerIsRetriedOnceWithTheProblems() async throws {
        let fake = FakeOpenAIChat([FakeOpenAIChat.completion(LLMFixture.invalidAnswer), FakeOpenAIChat.completion(LLMFixture.answer())])
        try await fake.run { base in
            let result = try await analyze(base)
            #expect(result.totalScore == 90)
            let calls = fake.script.calls
            try #require(calls.count == 2)
            let messages = calls[1].json["messages"] as? [[String: Any]] ?? []
            #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "user"])
            #expect(messages[2]["content"] as? String == LLMFixture.invalidAnswer)
            let feedback = messages[3]["content"] as? String ?? ""
            #expect(feedback.contains("could not be used") && feedback.contains("$.parameters[0].score: expected number, found string"),
                    "\(feedback)")
        }
    }

    @Test func invalidTwiceIsTransient() async throws {
        // Truncated (finish_reason "length"), then a rubric item missing.
        var missing = try #require(try JSONSerialization.jsonObject(with: Data(LLMFixture.answer().utf8)) as? [String: Any])
        missing["parameters"] = Array((missing["parameters"] as? [[String: Any]] ?? []).prefix(2))
        let fake = FakeOpenAIChat([FakeOpenAIChat.completion(String(LLMFixture.answer().prefix(100)), finishReason: "length"),
                                   FakeOpenAIChat.completion(jsonText(missing))])
        try await fake.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.code == "analysis_invalid_output")
            #expect(error?.message.contains("No abuse") == true, "\(error?.message ?? "")")
            let feedback = (fake.script.calls.last?.json["messages"] as? [[String: Any]])?.last?["content"] as? String ?? ""
            #expect(feedback.contains("token limit"))
        }
    }

    @Test func rateLimitAndServerErrorsAreTransient() async throws {
        let fake = FakeOpenAIChat([FakeReply(status: 429, headers: [("Retry-After", "7")], body: jsonText(
            ["error": ["message": "Rate limit reached for gpt-4o-mini on requests per min.", "type": "requests", "code": "rate_limit_exceeded"]]))])
        try await fake.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.code == "analysis_rate_limited" && error?.retryAfterSeconds == 7)
            #expect(error?.message.contains("Rate limit reached") == true)
        }
        try await FakeOpenAIChat([FakeReply(status: 502, body: "<html>Bad gateway</html>")]).run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.code == "analysis_http_502")
        }
        // Nothing listening: a connection failure is transient.
        let error = await #expect(throws: StageError.self) { try await analyze("http://127.0.0.1:9") }
        #expect(error?.kind == .transient)
    }

    @Test func timeoutIsTransient() async throws {
        let router = Router()
        // A server that has not answered when the client's 1 s limit runs out.
        router.post("v1/chat/completions") { _, _ -> Response in
            try await Task.sleep(for: .seconds(5))
            return response(FakeOpenAIChat.completion(LLMFixture.answer()))
        }
        try await withLoopbackServer(router) { base in
            let analyzer = LanguageModelAnalyzer(name: "openai", client: OpenAIChatClient(baseURL: base, apiKey: Self.key, model: "m", timeout: 1))
            let error = await #expect(throws: StageError.self) {
                try await analyzer.analyze(transcript: LLMFixture.transcript, rubric: LLMFixture.rubric, call: LLMFixture.call)
            }
            #expect(error?.kind == .transient && error?.code == "analysis_timeout")
        }
    }

    @Test func authAndBadRequestsArePermanentAndNeverShowTheKey() async throws {
        let wrong = "sk-test-WRONGKEY-9876543210"
        try await FakeOpenAIChat([FakeOpenAIChat.completion(LLMFixture.answer())]).run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base, key: wrong) }
            #expect(error?.kind == .permanent && error?.code == "analysis_auth_failed")
            #expect(error?.message.contains("invalid_api_key") == true)
            #expect(error?.message.contains("sk-test") == false && error?.message.contains("9876") == false)
        }
        let badRequest = FakeOpenAIChat([FakeReply(status: 400, body: jsonText(["error": [
            "message": "Invalid schema for response_format 'call_analysis' (key \(Self.key))", "type": "invalid_request_error",
            "param": "response_format", "code": NSNull()]]))])
        try await badRequest.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .permanent && error?.code == "analysis_http_400")
            #expect(error?.message.contains("Invalid schema") == true && error?.message.contains(Self.key) == false)
        }
        try await FakeOpenAIChat([FakeReply(status: 404, body: jsonText(["error": [
            "message": "The model `gpt-9` does not exist", "type": "invalid_request_error", "code": "model_not_found"]]))]).run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .permanent && error?.code == "analysis_http_404")
        }
        #expect(!String(describing: Self.analyzer("http://x")).contains(Self.key))
    }

    @Test func quoteNotInTheTranscriptIsDropped() async throws {
        try await FakeOpenAIChat([FakeOpenAIChat.completion(LLMFixture.answer(inventedQuote: true))]).run { base in
            let result = try await analyze(base)
            #expect(result.parameters[1].evidence == nil && result.parameters[0].evidence == "Good morning, this is Richa calling from Mcube")
            #expect(!String(decoding: try JSONEncoder().encode(result), as: UTF8.self).contains("How many branches"))
        }
    }
}

// MARK: - Fake OpenAI-compatible chat

/// `POST /v1/chat/completions`: checks `Authorization: Bearer` (401 `invalid_api_key` otherwise) and the strict
/// `json_schema` response format, then answers with the next scripted reply.
final class FakeOpenAIChat: Sendable {
    let script: ChatScript
    let key: String

    init(_ replies: [FakeReply], key: String = OpenAIAnalyzerTests.key) {
        script = ChatScript(replies)
        self.key = key
    }

    static func completion(_ content: String, finishReason: String = "stop") -> FakeReply {
        .json(jsonText([
            "id": "chatcmpl-test", "object": "chat.completion", "created": 1_764_547_200, "model": "gpt-4o-mini-2024-07-18",
            "choices": [["index": 0, "message": ["role": "assistant", "content": content, "refusal": NSNull()], "logprobs": NSNull(),
                         "finish_reason": finishReason]],
            "usage": ["prompt_tokens": 900, "completion_tokens": 250, "total_tokens": 1150],
        ]))
    }

    func run(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            var request = request
            let bytes = [UInt8]((try await request.collectBody(upTo: 16 << 20)).readableBytesView)
            let headers = lowercasedHeaders(request)
            var problems: [String] = []
            let json = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
            let format = json?["response_format"] as? [String: Any]
            let schema = format?["json_schema"] as? [String: Any]
            if format?["type"] as? String != "json_schema" || schema?["strict"] as? Bool != true || schema?["schema"] == nil {
                problems.append("response_format is not a strict json_schema")
            }
            if (json?["messages"] as? [[String: Any]])?.first?["role"] as? String != "system" { problems.append("no system message first") }
            let reply = self.script.record(ChatCall(body: String(decoding: bytes, as: UTF8.self), headers: headers, path: request.uri.path,
                                                    problems: problems))
            guard headers["authorization"] == "Bearer \(self.key)" else {
                let given = headers["authorization"]?.dropFirst("Bearer ".count) ?? ""
                return response(FakeReply(status: 401, body: jsonText(["error": [
                    "message": "Incorrect API key provided: \(given.prefix(8))***\(given.suffix(4)). You can find your API key at https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error", "param": NSNull(), "code": "invalid_api_key"]])))
            }
            return response(reply)
        }
        try await withLoopbackServer(router) { base in try await body(base) }
    }
}
