import Foundation
import PCAACore
import PCAANet

/// AWS Bedrock Runtime's Converse API: `POST {endpoint}/model/{modelId}/converse`, SigV4-signed (service
/// `bedrock`; the `:` of a model id is sent as `%3A` and signed as `%253A`). Converse has no structured-output
/// option, so the schema travels in the system prompt.
public struct BedrockConverseClient: ChatModelClient, CustomStringConvertible {
    public let model: String
    public let region: String
    /// `https://bedrock-runtime.{region}.amazonaws.com` unless overridden (tests, VPC endpoints).
    public let endpoint: String
    public let timeout: Double
    public let maxTokens: Int
    public let temperature: Double
    public var enforcesSchema: Bool { false }
    private let credentials: AWSCredentials
    private let http = CurlHTTPClient(userAgent: "pcaa")

    public init(model: String = "amazon.nova-lite-v1:0", region: String = "us-east-1", endpoint: String? = nil,
                credentials: AWSCredentials, timeout: Double = 120, maxTokens: Int = 2000, temperature: Double = 0) {
        self.model = model
        self.region = region
        var base = (endpoint?.isEmpty == false ? endpoint : nil) ?? "https://bedrock-runtime.\(region).amazonaws.com"
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = base
        self.credentials = credentials
        self.timeout = timeout
        self.maxTokens = maxTokens
        self.temperature = temperature
    }

    public var description: String { "BedrockConverseClient(endpoint: \(endpoint), model: \(model), credentials: [redacted])" }

    /// The request URL, the model id encoded as one path segment.
    public var url: String { endpoint + "/model/" + SigV4Canonical.encode(model) + "/converse" }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        let errors = LLMErrorMapper(provider: "bedrock", secrets: credentials.secrets)
        let body = Array(Self.body(request, maxTokens: maxTokens, temperature: temperature).jsonText.utf8)
        let signer = SigV4Signer(credentials: credentials, region: region, service: "bedrock")
        guard let headers = signer.signedHeaders(
            method: "POST", url: url,
            headers: [(name: "Content-Type", value: "application/json"), (name: "Accept", value: "application/json")], body: body)
        else { throw StageError.permanent("analysis_bad_config", "bedrock: endpoint \(endpoint) is not an http(s) URL") }
        let response: PCAANet.HTTPResponse
        do {
            response = try await http.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body, timeout: timeout,
                                                       connectTimeout: min(10, timeout)), maxResponseBytes: 8 << 20)
        } catch let error as HTTPClientError {
            throw errors.error(transport: error)
        }
        guard (200..<300).contains(response.status) else {
            let payload = try? StrictJSON.parse(response.body)
            // `x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/...`: the name is before the colon.
            let type = response.header("x-amzn-ErrorType").map { String($0.prefix { $0 != ":" }) } ?? payload?["__type"]?.stringValue
            let message = payload?["message"]?.stringValue ?? payload?["Message"]?.stringValue
            throw errors.error(status: response.status, type: type, message: message, retryAfter: response.header("retry-after"))
        }
        guard let reply = try? StrictJSON.parse(response.body, maxDepth: 64),
              let content = reply["output"]?["message"]?["content"]?.arrayValue
        else { throw errors.badResponse("reply is not a Converse result; body starts with \(errors.snippet(response.body))") }
        let text = content.compactMap { $0["text"]?.stringValue }.joined()
        return ChatReply(text: text, truncated: reply["stopReason"]?.stringValue == "max_tokens")
    }

    /// `{messages:[{role, content:[{text}]}], system:[{text}], inferenceConfig:{maxTokens, temperature}}`.
    static func body(_ request: ChatRequest, maxTokens: Int, temperature: Double) -> JSONValue {
        .object([
            "messages": .array(request.messages.map { message in
                .object(["role": .string(message.role.rawValue), "content": .array([.object(["text": .string(message.text)])])])
            }),
            "system": .array([.object(["text": .string(request.system)])]),
            "inferenceConfig": .object(["maxTokens": .number(Double(maxTokens)), "temperature": .number(temperature)]),
        ])
    }
}
