import PCAACore

/// How the `whatsapp` notifier reaches the WhatsApp Business Cloud API (from `[whatsapp]`).
public struct WhatsAppSettings: Sendable, CustomStringConvertible {
    public var baseURL: String
    public var apiVersion: String
    public var phoneNumberID: String
    public var accessToken: String
    /// Fills in a message template's name when it names none.
    public var templateName: String
    public var templateLanguage: String
    /// Prefixed to 10-digit national numbers.
    public var defaultCountryCode: String
    public var timeout: Double

    public init(baseURL: String = "https://graph.facebook.com", apiVersion: String = "v21.0", phoneNumberID: String, accessToken: String,
                templateName: String = "", templateLanguage: String = "en", defaultCountryCode: String = "91", timeout: Double = 30) {
        self.baseURL = baseURL
        self.apiVersion = apiVersion
        self.phoneNumberID = phoneNumberID
        self.accessToken = accessToken
        self.templateName = templateName
        self.templateLanguage = templateLanguage
        self.defaultCountryCode = defaultCountryCode
        self.timeout = timeout
    }

    /// From `[whatsapp]`; nil while a required key is missing (see `PCAAConfig.WhatsApp.missingKey`).
    public init?(config: PCAAConfig.WhatsApp) {
        guard config.missingKey == nil else { return nil }
        self.init(baseURL: config.baseURL, apiVersion: config.apiVersion, phoneNumberID: config.phoneNumberID,
                  accessToken: config.accessToken, templateName: config.templateName, templateLanguage: config.templateLanguage,
                  defaultCountryCode: config.defaultCountryCode, timeout: Double(config.timeoutSeconds))
    }

    /// `{base_url}/{api_version}/{phone_number_id}/messages`.
    var messagesURL: String {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/\(apiVersion)/\(phoneNumberID)/messages"
    }

    public var description: String {
        "WhatsAppSettings(baseURL: \(baseURL), apiVersion: \(apiVersion), phoneNumberID: \(phoneNumberID), accessToken: [redacted])"
    }
}
