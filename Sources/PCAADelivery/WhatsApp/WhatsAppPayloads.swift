/// The Cloud API's JSON shapes (`POST /{phone_number_id}/messages`), exactly as documented.

/// `{"messaging_product":"whatsapp","to":…,"type":"text","text":{"body":…}}`.
struct WhatsAppTextRequest: Encodable {
    struct Text: Encodable { var body: String }
    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case to, type, text
    }
    var messagingProduct = "whatsapp"
    var to: String
    var type = "text"
    var text: Text
}

/// `{"messaging_product":"whatsapp","to":…,"type":"template","template":{"name":…,"language":{"code":…},
/// "components":[{"type":"body","parameters":[{"type":"text","text":…}]}]}}`.
struct WhatsAppTemplateRequest: Encodable {
    struct Parameter: Encodable {
        var type = "text"
        var text: String
    }
    struct Component: Encodable {
        var type = "body"
        var parameters: [Parameter]
    }
    struct Language: Encodable { var code: String }
    struct Template: Encodable {
        var name: String
        var language: Language
        /// Omitted for a template without placeholders.
        var components: [Component]?
    }
    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case to, type, template
    }
    var messagingProduct = "whatsapp"
    var to: String
    var type = "template"
    var template: Template
}

/// `200 {"messaging_product":"whatsapp","contacts":[…],"messages":[{"id":"wamid…"}]}`.
struct WhatsAppAccepted: Decodable {
    struct Message: Decodable { var id: String }
    var messages: [Message]
}

/// `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`.
struct WhatsAppErrorEnvelope: Decodable {
    struct Details: Decodable {
        var message: String?
        var type: String?
        var code: Int?
        var errorSubcode: Int?
        var fbtraceID: String?
        enum CodingKeys: String, CodingKey {
            case message, type, code
            case errorSubcode = "error_subcode"
            case fbtraceID = "fbtrace_id"
        }
    }
    var error: Details
}
