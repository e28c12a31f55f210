import Foundation
import Hummingbird
import PCAACore
import PCAADelivery
import Testing

/// `WhatsAppNotifier` against a fake Cloud API on 127.0.0.1 that checks the path, the Bearer token and the JSON
/// body of every request and answers in the API's shapes (`messages[0].id`, `{"error":{…}}`).
@Suite struct WhatsAppNotifierTests {
    static let token = "EAAG-test-token-0123456789abcdefABCDEF"
    static let phoneNumberID = "106540352242922"

    static func notifier(_ base: String, token: String = Self.token) -> WhatsAppNotifier {
        WhatsAppNotifier(settings: WhatsAppSettings(baseURL: base, apiVersion: "v21.0", phoneNumberID: phoneNumberID, accessToken: token,
                                                    templateLanguage: "en", defaultCountryCode: "91", timeout: 10))
    }

    static func message(to recipient: String = "+91 98765-43210", text: String = "Your call scored 82/100.",
                        template: WhatsAppTemplate? = nil) -> OutboundMessage {
        OutboundMessage(channel: "whatsapp", recipient: recipient, recipientName: "Priya", subject: "Call report", text: text,
                        whatsAppTemplate: template, idempotencyKey: "6004:c1:whatsapp", bid: "6004", callid: "c1")
    }

    static func graphError(_ code: Int, _ message: String, type: String = "OAuthException", subcode: Int? = nil, status: Int = 400,
                           headers: [(String, String)] = []) -> FakeReply {
        var error: [String: Any] = ["message": message, "type": type, "code": code, "fbtrace_id": "AbCdEf123"]
        if let subcode { error["error_subcode"] = subcode }
        return FakeReply(status: status, headers: headers, body: jsonText(["error": error]))
    }

    @Test func aTextIsSentAndTheWamidIsTheReceipt() async throws {
        let fake = FakeWhatsApp(replies: [])
        try await fake.run { base in
            let receipt = try await Self.notifier(base).deliver(Self.message())
            #expect(receipt == DeliveryReceipt(providerMessageID: "wamid.HBgLOTE5ODc2NTQzMjEwFQIAERgS1"))
            let requests = fake.requests
            try #require(requests.count == 1)
            #expect(requests[0].problems.isEmpty, "\(requests[0].problems)")
            #expect(requests[0].json as NSDictionary == [
                "messaging_product": "whatsapp", "to": "919876543210", "type": "text", "text": ["body": "Your call scored 82/100."],
            ] as NSDictionary)
        }
    }

    @Test func outsideTheWindowTheTemplateIsSentInstead() async throws {
        let template = WhatsAppTemplate(name: "agent_call_report", language: "en", bodyParameters: ["Priya", "82/100", "Ask more questions"])
        let fake = FakeWhatsApp(replies: [Self.graphError(131047, "Re-engagement message", type: "OAuthException", subcode: 2494010)])
        try await fake.run { base in
            let receipt = try await Self.notifier(base).deliver(Self.message(template: template))
            #expect(receipt.detail == "template_fallback")
            #expect(receipt.providerMessageID.hasPrefix("wamid."))
            let requests = fake.requests
            try #require(requests.count == 2)
            #expect(requests.allSatisfy { $0.problems.isEmpty })
            #expect(requests[0].json["type"] as? String == "text")
            #expect(requests[1].json as NSDictionary == [
                "messaging_product": "whatsapp", "to": "919876543210", "type": "template",
                "template": ["name": "agent_call_report", "language": ["code": "en"], "components": [
                    ["type": "body", "parameters": [["type": "text", "text": "Priya"], ["type": "text", "text": "82/100"],
                                                   ["type": "text", "text": "Ask more questions"]]],
                ]],
            ] as NSDictionary)
        }
        // Without a template the refusal is final.
        try await FakeWhatsApp(replies: [Self.graphError(131047, "Re-engagement message")]).run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base).deliver(Self.message()) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "whatsapp_outside_window")
        }
    }

    @Test func rateLimitsAreTransientAndHonourRetryAfter() async throws {
        try await FakeWhatsApp(replies: [Self.graphError(130429, "Rate limit hit", status: 429, headers: [("Retry-After", "7")])]).run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base).deliver(Self.message()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "whatsapp_rate_limited")
            #expect(error?.retryAfterSeconds == 7)
            #expect(error?.message.contains("Rate limit hit") == true)
        }
        try await FakeWhatsApp(replies: [FakeReply(status: 503, body: "upstream unavailable")]).run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base).deliver(Self.message()) }
            #expect(error?.kind == .transient)
            #expect(error?.code == "whatsapp_http_503")
        }
    }

    @Test func aBadTokenIsPermanentAndNeverEchoed() async throws {
        let wrong = "EAAG-WRONG-token-9876543210"
        let fake = FakeWhatsApp(replies: [])
        try await fake.run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base, token: wrong).deliver(Self.message()) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "whatsapp_auth_failed")
            #expect(error?.message.contains(wrong) == false)
            #expect(error?.message.contains("190") == true)
        }
        #expect(!String(describing: Self.notifier("http://x", token: wrong)).contains(wrong))
    }

    @Test func templateAndRecipientProblemsArePermanent() async throws {
        let template = WhatsAppTemplate(name: "missing_template", language: "en", bodyParameters: ["x"])
        try await FakeWhatsApp(replies: [Self.graphError(131047, "Re-engagement message"),
                                         Self.graphError(132001, "Template name does not exist in the translation")]).run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base).deliver(Self.message(template: template)) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "whatsapp_template_rejected")
            #expect(error?.message.contains("132001") == true)
        }
        try await FakeWhatsApp(replies: [Self.graphError(131026, "Message undeliverable")]).run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base).deliver(Self.message()) }
            #expect(error?.code == "whatsapp_undeliverable")
            #expect(error?.kind == .permanent)
        }
        for bad in ["not a number", "12345", "+91 98765 4321x", "00", ""] {
            let error = await #expect(throws: StageError.self) { try await Self.notifier("http://127.0.0.1:1").deliver(Self.message(to: bad)) }
            #expect(error?.code == "whatsapp_invalid_recipient")
        }
    }

    @Test func aMalformedAcceptanceIsAClearError() async throws {
        try await FakeWhatsApp(replies: [FakeReply(status: 200, body: #"{"messaging_product":"whatsapp","contacts":[]}"#)]).run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base).deliver(Self.message()) }
            #expect(error?.code == "whatsapp_bad_response")
            #expect(error?.message.contains("messages[0].id") == true)
        }
        try await FakeWhatsApp(replies: [FakeReply(status: 200, body: "<html>captive portal</html>")]).run { base in
            let error = await #expect(throws: StageError.self) { try await Self.notifier(base).deliver(Self.message()) }
            #expect(error?.code == "whatsapp_bad_response")
            #expect(error?.message.contains("captive portal") == true)
        }
    }

    @Test func longTextsAreCutOnACharacterBoundary() async throws {
        let fake = FakeWhatsApp(replies: [])
        let text = String(repeating: "नमस्ते 👋🏽 ", count: 600)
        try await fake.run { base in
            _ = try await Self.notifier(base).deliver(Self.message(to: "9876543210", text: text))
            let body = try #require((fake.requests.first?.json["text"] as? [String: Any])?["body"] as? String)
            #expect(body.utf16.count <= 4096)
            #expect(body.hasSuffix("…"))
            #expect(text.hasPrefix(String(body.dropLast())))
            #expect(fake.requests.first?.json["to"] as? String == "919876543210")
        }
    }
}

// MARK: - Fake Cloud API

struct WhatsAppRequest: @unchecked Sendable {
    var json: [String: Any]
    var problems: [String]
}

/// `POST /v21.0/{phone_number_id}/messages`: checks the Bearer token (190 otherwise, like Graph), the content type
/// and the body's shape; answers `replies` in order, then accepts with a wamid.
final class FakeWhatsApp: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [WhatsAppRequest] = []
    private var pending: [FakeReply]

    init(replies: [FakeReply]) {
        pending = replies
    }

    var requests: [WhatsAppRequest] { lock.withLock { received } }

    func run(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        router.post("v21.0/:phone/messages") { request, context -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            var problems: [String] = []
            if context.parameters.get("phone") != WhatsAppNotifierTests.phoneNumberID { problems.append("path \(request.uri.path)") }
            if request.headers[.contentType] != "application/json" { problems.append("content type \(request.headers[.contentType] ?? "missing")") }
            let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            if json["messaging_product"] as? String != "whatsapp" { problems.append("messaging_product") }
            let type = json["type"] as? String
            if type == "text" {
                if Set(json.keys) != ["messaging_product", "to", "type", "text"] { problems.append("text keys \(json.keys.sorted())") }
            } else if type == "template" {
                if Set(json.keys) != ["messaging_product", "to", "type", "template"] { problems.append("template keys \(json.keys.sorted())") }
            } else {
                problems.append("type \(type ?? "missing")")
            }
            let authorized = request.headers[.authorization] == "Bearer \(WhatsAppNotifierTests.token)"
            let reply: FakeReply? = self.lock.withLock {
                self.received.append(WhatsAppRequest(json: json, problems: problems))
                return authorized && !self.pending.isEmpty ? self.pending.removeFirst() : nil
            }
            guard authorized else {
                return response(WhatsAppNotifierTests.graphError(190, "Invalid OAuth access token - Cannot parse access token", status: 401))
            }
            if let reply { return response(reply) }
            return response(.json(jsonText([
                "messaging_product": "whatsapp",
                "contacts": [["input": json["to"] as? String ?? "", "wa_id": json["to"] as? String ?? ""]],
                "messages": [["id": "wamid.HBgLOTE5ODc2NTQzMjEwFQIAERgS1"]],
            ])))
        }
        try await withLoopbackServer(router) { base in try await body(base) }
    }
}
