import Foundation
import PCAACore
import PCAANet

/// Any OpenAI-compatible `POST {base}/v1/chat/completions` (OpenAI, vLLM, Ollama, llama.cpp's server):
/// `Authorization: Bearer`, the answer's schema as a strict `response_format` of type `json_schema`.
/// `choices[0].message.content` is the JSON answer as a string; `finish_reason: "length"` means it was cut off.
public struct OpenAIChatClient: ChatModelClient, CustomStringConvertible {
    public let model: String
    public let baseURL: String
    public let timeout: Double
    public let maxTokens: Int
    public let temperature: Double
    public var enforcesSchema: Bool { true }
    private let apiKey: String
    private let http = CurlHTTPClient(userAgent: "pcaa")

    public init(baseURL: String, apiKey: String, model: String, timeout: Double = 120, maxTokens: Int = 2000, temperature: Double = 0) {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        self.baseURL = base
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
        self.maxTokens = maxTokens
        self.temperature = temperature
    }

    public var description: String { "OpenAIChatClient(baseURL: \(baseURL), model: \(model), apiKey: [redacted])" }

    public var url: String { baseURL + "/v1/chat/completions" }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        let errors = LLMErrorMapper(provider: "openai", secrets: [apiKey])
        let body = Array(Self.body(request, model: model, maxTokens: maxTokens, temperature: temperature).jsonText.utf8)
        var headers: [(name: String, value: String)] = [(name: "Content-Type", value: "application/json"), (name: "Accept", value: "application/json")]
        if !apiKey.isEmpty { headers.append((name: "Authorization", value: "Bearer \(apiKey)")) }
        let response: PCAANet.HTTPResponse
        do {
            response = try await http.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body, timeout: timeout,
                                                       connectTimeout: min(10, timeout)), maxResponseBytes: 8 << 20)
        } catch let error as HTTPClientError {
            throw errors.error(transport: error)
        }
        let reply = try? StrictJSON.parse(response.body, maxDepth: 64)
        let failure = reply?["error"]
        guard (200..<300).contains(response.status), failure == nil || failure == .null else {
            let type = failure?["code"]?.stringValue ?? failure?["type"]?.stringValue
            // Some servers put the error in a 200 reply: classify it as the server error it is.
            let status = (200..<300).contains(response.status) ? 500 : response.status
            throw errors.error(status: status, type: type, message: failure?["message"]?.stringValue ?? failure?.stringValue,
                               retryAfter: response.header("retry-after"))
        }
        guard let choice = reply?["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw errors.badResponse("reply is not a chat completion; body starts with \(errors.snippet(response.body))")
        }
        // A refusal comes instead of content; it is an unusable answer like any other.
        let text = message["content"]?.stringValue ?? message["refusal"]?.stringValue ?? ""
        return ChatReply(text: text, truncated: choice["finish_reason"]?.stringValue == "length")
    }

    /// `{model, messages, temperature, max_tokens, response_format:{type:"json_schema", json_schema:{name, schema,
    /// strict:true}}}`.
    static func body(_ request: ChatRequest, model: String, maxTokens: Int, temperature: Double) -> JSONValue {
        let messages = [JSONValue.object(["role": .string("system"), "content": .string(request.system)])]
            + request.messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.text)]) }
        return .object([
            "model": .string(model),
            "messages": .array(messages),
            "temperature": .number(temperature),
            "max_tokens": .number(Double(maxTokens)),
            "response_format": .object([
                "type": .string("json_schema"),
                "json_schema": .object(["name": .string(LLMAnswerSchema.name), "schema": request.schema, "strict": .bool(true)]),
            ]),
        ])
    }
}
