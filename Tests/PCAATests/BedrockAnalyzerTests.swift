import Foundation
import Hummingbird
import PCAAAnalysis
import PCAACore
import Testing

/// The `bedrock` analyzer against a fake Bedrock Runtime on 127.0.0.1 that checks each request's SigV4 signature
/// (recomputed with the test credentials) and answers in the Converse shape, or with Bedrock's error shape
/// (`x-amzn-ErrorType` header, `{"message"}` body).
@Suite("Bedrock analyzer")
struct BedrockAnalyzerTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDTESTBEDROCK0001", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                            sessionToken: "SESSIONTOKEN-abc123")
    static let model = "amazon.nova-lite-v1:0"

    static func analyzer(_ base: String, credentials: AWSCredentials = credentials) -> LanguageModelAnalyzer {
        LanguageModelAnalyzer(name: "bedrock", client: BedrockConverseClient(
            model: model, region: "us-east-1", endpoint: base, credentials: credentials, timeout: 30, maxTokens: 1500, temperature: 0))
    }

    func analyze(_ base: String, credentials: AWSCredentials = credentials) async throws -> AnalysisResult {
        let raw = try await Self.analyzer(base, credentials: credentials).analyze(
            transcript: LLMFixture.transcript, rubric: LLMFixture.rubric, call: LLMFixture.call)
        return AnalysisFinisher.finish(raw, rubric: LLMFixture.rubric, transcript: LLMFixture.transcript)
    }

    @Test func validAnswerBecomesAScoredResult() async throws {
        let fake = FakeBedrock([FakeBedrock.converse(LLMFixture.answer())])
        try await fake.run { base in
            let result = try await analyze(base)
            let calls = fake.script.calls
            try #require(calls.count == 1)
            #expect(calls[0].problems.isEmpty, "\(calls[0].problems)")
            #expect(calls[0].path == "/model/amazon.nova-lite-v1%3A0/converse")
            let body = calls[0].json
            let system = ((body["system"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
            #expect(system.contains("\"additionalProperties\":false"), "the schema travels in the system prompt")
            let messages = body["messages"] as? [[String: Any]] ?? []
            let prompt = ((messages.first?["content"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
            #expect(prompt.contains("1. [0:00] AGENT: Good morning, this is Richa calling from Mcube broadband."))
            #expect(prompt.contains("5. [1:05] AGENT: I will send you the proposal"))
            #expect(prompt.contains("No abuse — No abusive or threatening language [weight 10; prohibited (must NOT happen); speaker: AGENT"))
            #expect(prompt.contains("AUTO-FAIL") && prompt.contains("pass mark 70"))
            #expect((body["inferenceConfig"] as? [String: Any])?["maxTokens"] as? Int == 1500)

            #expect(result.analyzer == "bedrock" && result.model == Self.model && result.promptVersion == "llm-v1")
            #expect(result.parameters.map(\.score) == [10, 16, 10])
            #expect(result.parameters[1].reason == "Asked about the decision maker and budget.")
            #expect(result.parameters[1].evidence == "what budget do you have in mind" && result.parameters[1].evidenceTime == 9)
            #expect(result.totalScore == 90 && result.passed == true)
            #expect(result.bant?.authority.status == .identified && result.bant?.budget.evidence == "Around five thousand a month")
            #expect(result.bant?.timeline.status == .notDiscussed)
            #expect(result.coaching.count == 2 && result.objections == ["price", "competitor"] && result.sentiment == .neutral)
            #expect(!result.summary.isEmpty)
        }
    }

    @Test func fencedAnswerIsAccepted() async throws {
        let fake = FakeBedrock([FakeBedrock.converse("Here is the analysis:\n```json\n" + LLMFixture.answer() + "\n```\n")])
        try await fake.run { base in
            let result = try await analyze(base)
            #expect(result.totalScore == 90)
        }
    }

    @Test func invalidAnswerIsRetriedOnceWithTheProblems() async throws {
        let fake = FakeBedrock([FakeBedrock.converse(LLMFixture.invalidAnswer), FakeBedrock.converse(LLMFixture.answer())])
        try await fake.run { base in
            let result = try await analyze(base)
            #expect(result.totalScore == 90)
            let calls = fake.script.calls
            try #require(calls.count == 2)
            #expect(calls.allSatisfy { $0.problems.isEmpty })
            let messages = calls[1].json["messages"] as? [[String: Any]] ?? []
            #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
            let assistant = ((messages[1]["content"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
            let feedback = ((messages[2]["content"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
            #expect(assistant == LLMFixture.invalidAnswer)
            #expect(feedback.contains("could not be used"))
            #expect(feedback.contains("missing required key \"bant\"") && feedback.contains("$.parameters[0].score: expected number"), "\(feedback)")
        }
    }

    @Test func invalidTwiceIsTransient() async throws {
        let fake = FakeBedrock([FakeBedrock.converse("I cannot help with that."), FakeBedrock.converse(LLMFixture.invalidAnswer)])
        try await fake.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.code == "analysis_invalid_output")
            #expect(fake.script.calls.count == 2)
        }
        // An answer cut off at the token limit is invalid too.
        let truncated = FakeBedrock([FakeBedrock.converse(String(LLMFixture.answer().prefix(80)), stopReason: "max_tokens")])
        try await truncated.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.code == "analysis_invalid_output" && error?.message.contains("token limit") == true)
        }
    }

    @Test func throttlingIsTransientWithRetryAfter() async throws {
        let fake = FakeBedrock([FakeReply(
            status: 429, headers: [("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                                   ("Retry-After", "4")],
            body: jsonText(["message": "Too many requests, please wait before trying again."]))])
        try await fake.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.code == "analysis_rate_limited")
            #expect(error?.retryAfterSeconds == 4)
            #expect(error?.message.contains("ThrottlingException") == true && error?.message.contains("Too many requests") == true)
        }
        let notReady = FakeBedrock([FakeReply(status: 429, headers: [("x-amzn-ErrorType", "ModelNotReadyException")],
                                              body: jsonText(["message": "Model is not ready."]))])
        try await notReady.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.retryAfterSeconds == nil)
        }
        let unavailable = FakeBedrock([FakeReply(status: 503, headers: [("x-amzn-ErrorType", "ServiceUnavailableException")],
                                                 body: jsonText(["message": "Service unavailable."]))])
        try await unavailable.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.code == "analysis_http_503")
        }
        // A 400 quota error says "resubmit your request later": transient, unlike a ValidationException.
        let quota = FakeBedrock([FakeReply(status: 400, headers: [("x-amzn-ErrorType", "ServiceQuotaExceededException")],
                                           body: jsonText(["message": "Your request exceeds the service quota for your account."]))])
        try await quota.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .transient && error?.code == "analysis_http_400")
        }
    }

    @Test func accessDeniedAndValidationArePermanentAndNeverShowSecrets() async throws {
        // A wrong secret: the fake's signature check fails and it answers like AWS does.
        let wrong = AWSCredentials(accessKeyID: Self.credentials.accessKeyID, secretAccessKey: "wJalrXUtnFEMI/WRONG/bPxRfiCYEXAMPLEKEY",
                                   sessionToken: "SESSIONTOKEN-abc123")
        try await FakeBedrock([FakeBedrock.converse(LLMFixture.answer())]).run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base, credentials: wrong) }
            #expect(error?.kind == .permanent && error?.code == "analysis_auth_failed")
            #expect(error?.message.contains("InvalidSignatureException") == true)
            #expect(LLMFixture.secretMarkers.allSatisfy { error?.message.contains($0) == false })
        }
        let denied = FakeBedrock([FakeReply(status: 403, headers: [("x-amzn-ErrorType", "AccessDeniedException")],
                                            body: jsonText(["message": "You don't have access to the model with the specified model ID."]))])
        try await denied.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .permanent && error?.code == "analysis_auth_failed")
        }
        // A provider message that (unusually) echoes the secret has it removed.
        let validation = FakeBedrock([FakeReply(status: 400, headers: [("x-amzn-ErrorType", "ValidationException")],
                                                body: jsonText(["message": "Malformed input request for key \(Self.credentials.secretAccessKey)"]))])
        try await validation.run { base in
            let error = await #expect(throws: StageError.self) { try await analyze(base) }
            #expect(error?.kind == .permanent && error?.code == "analysis_http_400")
            #expect(error?.message.contains("ValidationException") == true && error?.message.contains("Malformed input") == true)
            #expect(LLMFixture.secretMarkers.allSatisfy { error?.message.contains($0) == false })
        }
        #expect(!String(describing: Self.analyzer("http://x")).contains("wJalr"))
        #expect(!String(describing: BedrockConverseClient(credentials: Self.credentials)).contains("wJalr"))
    }

    @Test func quoteNotInTheTranscriptIsDropped() async throws {
        try await FakeBedrock([FakeBedrock.converse(LLMFixture.answer(inventedQuote: true))]).run { base in
            let result = try await analyze(base)
            #expect(result.parameters[1].score == 16)
            #expect(result.parameters[1].evidence == nil && result.parameters[1].evidenceTime == nil)
            #expect(result.parameters[0].evidence != nil)
            let stored = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            #expect(!stored.contains("How many branches"))
        }
    }

    @Test func violatedAutoFailItemFailsTheCall() async throws {
        var answer = try #require(try JSONSerialization.jsonObject(with: Data(LLMFixture.answer().utf8)) as? [String: Any])
        var parameters = try #require(answer["parameters"] as? [[String: Any]])
        parameters[2] = ["name": "No abuse", "score": 10, "reason": "Agent threatened the customer.", "evidence": NSNull(), "violated": true]
        answer["parameters"] = parameters
        try await FakeBedrock([FakeBedrock.converse(jsonText(answer))]).run { base in
            let result = try await analyze(base)
            #expect(result.parameters[2].score == 0 && result.parameters[2].failedCall == true)
            #expect(result.passed == false)
        }
    }
}

// MARK: - Fake Bedrock Runtime

/// `POST /model/{modelId}/converse` in Bedrock's shapes. Every request's SigV4 signature is recomputed from what
/// arrived (method, raw path, query, the signed headers, body) with the test credentials; a mismatch is answered
/// 403 `InvalidSignatureException`, as AWS does.
final class FakeBedrock: Sendable {
    let script: ChatScript

    init(_ replies: [FakeReply]) { script = ChatScript(replies) }

    static func converse(_ text: String, stopReason: String = "end_turn") -> FakeReply {
        .json(jsonText([
            "output": ["message": ["role": "assistant", "content": [["text": text]]]],
            "stopReason": stopReason,
            "usage": ["inputTokens": 812, "outputTokens": 230, "totalTokens": 1042],
            "metrics": ["latencyMs": 1180],
        ]))
    }

    func run(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        router.post("**") { request, _ -> Response in
            var request = request
            let bytes = [UInt8]((try await request.collectBody(upTo: 16 << 20)).readableBytesView)
            var headers = lowercasedHeaders(request)
            // HTTP/1 `Host` arrives as the `:authority` pseudo-header.
            headers["host"] = request.head.authority
            let path = request.uri.path
            var problems = Self.signatureProblems(method: "POST", path: path, query: request.uri.query ?? "", headers: headers, body: bytes)
            if !(path.hasPrefix("/model/") && path.hasSuffix("/converse")) { problems.append("path \(path)") }
            if headers["content-type"] != "application/json" { problems.append("content type \(headers["content-type"] ?? "missing")") }
            if (try? JSONSerialization.jsonObject(with: Data(bytes))) == nil { problems.append("body is not JSON") }
            let reply = self.script.record(ChatCall(body: String(decoding: bytes, as: UTF8.self), headers: headers, path: path, problems: problems))
            if problems.contains(where: { $0.hasPrefix("signature") }) {
                return response(FakeReply(status: 403, headers: [("x-amzn-ErrorType", "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/")],
                                          body: jsonText(["message": "The request signature we calculated does not match the signature you provided."])))
            }
            return response(reply)
        }
        try await withLoopbackServer(router) { base in try await body(base) }
    }

    /// Recomputes the signature of a received request with ``BedrockAnalyzerTests/credentials``.
    static func signatureProblems(method: String, path: String, query: String, headers: [String: String], body: [UInt8]) -> [String] {
        guard let authorization = headers["authorization"], authorization.hasPrefix("AWS4-HMAC-SHA256 "),
              let date = headers["x-amz-date"].flatMap(parseAmzDate)
        else { return ["signature: missing Authorization or X-Amz-Date"] }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        let credentials = BedrockAnalyzerTests.credentials
        let day = String(headers["x-amz-date"]?.prefix(8) ?? "")
        guard fields["Credential"] == "\(credentials.accessKeyID)/\(day)/us-east-1/bedrock/aws4_request",
              let signedHeaders = fields["SignedHeaders"]?.split(separator: ";").map(String.init), let provided = fields["Signature"]
        else { return ["signature: bad credential scope or fields in \(authorization)"] }
        guard signedHeaders.contains("host"), signedHeaders.contains("x-amz-date"), signedHeaders.contains("x-amz-security-token"),
              headers["x-amz-security-token"] == credentials.sessionToken
        else { return ["signature: host, date or session token not signed"] }
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "bedrock")
        let signed = signedHeaders.filter { $0 != "x-amz-date" }.map { (name: $0, value: headers[$0] ?? "") }
        let expected = signer.sign(method: method, path: path, query: query, headers: signed, body: body, date: date)
        var problems: [String] = []
        if !expected.canonicalRequest.contains("/model/amazon.nova-lite-v1%253A0/converse") {
            problems.append("canonical URI is not double-encoded: \(expected.canonicalRequest.split(separator: "\n").dropFirst().first ?? "")")
        }
        if expected.signature != provided { problems.append("signature mismatch") }
        return problems
    }

    static func parseAmzDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }
}
