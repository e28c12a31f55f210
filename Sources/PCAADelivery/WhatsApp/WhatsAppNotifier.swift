import Foundation
import PCAACore
import PCAANet

/// The `whatsapp` channel: WhatsApp Business Cloud API `POST {base_url}/{api_version}/{phone_number_id}/messages`
/// with `Authorization: Bearer`. A free-form text goes first; when the API refuses it because the 24-hour window
/// is closed (131047), the message's approved template is sent instead (receipt detail `template_fallback`).
/// The receipt's id is the `wamid…` the API returns (accepted, not yet delivered).
public struct WhatsAppNotifier: Notifier, CustomStringConvertible {
    public let name = "whatsapp"
    public let settings: WhatsAppSettings
    private let http = CurlHTTPClient(userAgent: "pcaa")

    public init(settings: WhatsAppSettings) {
        self.settings = settings
    }

    public var description: String { "WhatsAppNotifier(\(settings))" }

    public func deliver(_ message: OutboundMessage) async throws -> DeliveryReceipt {
        guard let to = WhatsAppRecipient.normalize(message.recipient, defaultCountryCode: settings.defaultCountryCode) else {
            throw StageError.permanent("whatsapp_invalid_recipient",
                                       "whatsapp: \"\(message.recipient.prefix(40))\" is not a phone number in international form")
        }
        let text = WhatsAppTextRequest(to: to, text: .init(body: WhatsAppRecipient.truncated(message.text)))
        let first = try await post(text)
        if let id = try accepted(first) { return DeliveryReceipt(providerMessageID: id) }

        let errors = WhatsAppErrorMapper(token: settings.accessToken)
        let refusedCode = WhatsAppErrorMapper.details(first.body)?.code
        guard refusedCode == WhatsAppErrorMapper.outsideWindow, let template = message.whatsAppTemplate,
              !(template.name.isEmpty && settings.templateName.isEmpty)
        else {
            throw errors.error(status: first.status, headers: first.headers, body: first.body)
        }
        let second = try await post(templateRequest(template, to: to))
        guard let id = try accepted(second) else {
            throw errors.error(status: second.status, headers: second.headers, body: second.body)
        }
        return DeliveryReceipt(providerMessageID: id, detail: "template_fallback")
    }

    // MARK: Steps

    func templateRequest(_ template: WhatsAppTemplate, to: String) -> WhatsAppTemplateRequest {
        let name = template.name.isEmpty ? settings.templateName : template.name
        let language = template.language.isEmpty ? settings.templateLanguage : template.language
        let parameters = template.bodyParameters.map { WhatsAppTemplateRequest.Parameter(text: $0) }
        return WhatsAppTemplateRequest(to: to, template: .init(
            name: name, language: .init(code: language),
            components: parameters.isEmpty ? nil : [.init(parameters: parameters)]))
    }

    /// The `wamid` of a 2xx reply; nil for an error reply; throws for a 2xx reply without one.
    private func accepted(_ response: PCAANet.HTTPResponse) throws -> String? {
        guard (200..<300).contains(response.status) else { return nil }
        guard let reply = try? JSONDecoder().decode(WhatsAppAccepted.self, from: Data(response.body)),
              let id = reply.messages.first?.id, !id.isEmpty
        else {
            throw WhatsAppErrorMapper(token: settings.accessToken).badAcceptance(response.body)
        }
        return id
    }

    private func post(_ body: some Encodable) async throws -> PCAANet.HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(body))
        } catch {
            throw StageError.permanent("whatsapp_bad_request", "whatsapp: cannot encode the request: \(error)")
        }
        let request = HTTPRequest(
            method: "POST", url: settings.messagesURL,
            headers: [(name: "Authorization", value: "Bearer \(settings.accessToken)"), (name: "Content-Type", value: "application/json"),
                      (name: "Accept", value: "application/json")],
            body: bytes, timeout: settings.timeout, connectTimeout: min(10, settings.timeout))
        do {
            return try await http.send(request, maxResponseBytes: 1 << 20)
        } catch let error as HTTPClientError {
            throw WhatsAppErrorMapper(token: settings.accessToken).error(transport: error)
        }
    }
}
