import Foundation
import PCAACore
import PCAADelivery
import PCAAPipeline
import PCAASTT
import Testing

/// `[email]` and `[whatsapp]`: parsing, refusals, secrets, the registry's channels and `pcaa doctor`.
@Suite struct NotifierConfigTests {
    @Test func sectionsParseAndSecretsComeFromTheEnvironment() throws {
        let config = try ConfigLoader.parse("""
            [email]
            smtp_url = "smtps://smtp.example.com:465"
            username = "pcaa"
            from_address = "reports@example.com"
            from_name = "Call reports"
            ca_file = "/etc/pcaa/relay-ca.pem"
            timeout_s = 20
            [whatsapp]
            phone_number_id = "106540352242922"
            template_name = "agent_call_report"
            template_language = "en_US"
            default_country_code = "1"
            """, environment: ["PCAA_EMAIL_PASSWORD": "env-password-123", "PCAA_WHATSAPP_ACCESS_TOKEN": "EAAG-env-token"])
        #expect(config.email.smtpURL == "smtps://smtp.example.com:465")
        #expect(config.email.password == "env-password-123")
        #expect(config.email.startTLS)
        #expect(config.email.timeoutSeconds == 20)
        #expect(config.email.missingKey == nil)
        #expect(config.whatsapp.accessToken == "EAAG-env-token")
        #expect(config.whatsapp.baseURL == "https://graph.facebook.com")
        #expect(config.whatsapp.apiVersion == "v21.0")
        #expect(config.whatsapp.defaultCountryCode == "1")
        #expect(config.whatsapp.missingKey == nil)
    }

    @Test func badValuesAreRefusedWithTheirKeyAndSecretsHidden() {
        let text = """
            [email]
            smtp_url = "smtp://user:hunter2-secret@relay.example.com:587"
            from_address = "not an address"
            password = "line1\\nline2-secret"
            [whatsapp]
            base_url = "graph.facebook.com"
            api_version = "21"
            phone_number_id = "+91 98765"
            default_country_code = "+91"
            """
        do {
            _ = try ConfigLoader.parse(text)
            Issue.record("expected errors")
        } catch let errors as ConfigErrors {
            let keys = Set(errors.errors.map(\.key))
            #expect(keys == ["email.smtp_url", "email.from_address", "email.password", "whatsapp.base_url", "whatsapp.api_version",
                             "whatsapp.phone_number_id", "whatsapp.default_country_code"])
            #expect(!"\(errors)".contains("line2-secret"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unconfiguredChannelsNameTheMissingKey() async throws {
        var config = TestDaemon.testConfig()
        var registry = ProviderRegistry.builtIn(config: config, localEndpoint: LocalSTTEndpoint())
        let message = OutboundMessage(channel: "email", recipient: "a@example.com", subject: "s", text: "t", idempotencyKey: "k", bid: "6004", callid: nil)
        for (name, key) in [("email", "email.smtp_url"), ("whatsapp", "whatsapp.phone_number_id")] {
            let error = await #expect(throws: StageError.self) { try await registry.notifier(named: name)?.deliver(message) }
            #expect(error?.kind == .permanent)
            #expect(error?.code == "notifier_unavailable")
            #expect(error?.message.contains(key) == true, "\(error?.message ?? "")")
        }
        config.email.smtpURL = "smtp://relay.example.com:587"
        config.whatsapp.phoneNumberID = "106540352242922"
        registry = ProviderRegistry.builtIn(config: config, localEndpoint: LocalSTTEndpoint())
        let email = await #expect(throws: StageError.self) { try await registry.notifier(named: "email")?.deliver(message) }
        #expect(email?.message.contains("email.from_address") == true)
        let whatsapp = await #expect(throws: StageError.self) { try await registry.notifier(named: "whatsapp")?.deliver(message) }
        #expect(whatsapp?.message.contains("whatsapp.access_token") == true)

        config.email.fromAddress = "reports@example.com"
        config.whatsapp.accessToken = "EAAG-token"
        registry = ProviderRegistry.builtIn(config: config, localEndpoint: LocalSTTEndpoint())
        #expect(registry.notifier(named: "email") is EmailNotifier)
        #expect(registry.notifier(named: "whatsapp") is WhatsAppNotifier)
        #expect(registry.notifier(named: "none") == nil)
    }

    @Test func doctorReportsAnUnconfiguredDefaultChannel() {
        var config = TestDaemon.testConfig()
        config.defaults.notifier = "email"
        #expect(Doctor.run(config: config).first { $0.name == "email channel" }?.level == .failure)
        #expect(Doctor.run(config: config).first { $0.name == "whatsapp channel" } == nil)
        config.defaults.notifier = "whatsapp"
        config.whatsapp.phoneNumberID = "106540352242922"
        let check = Doctor.run(config: config).first { $0.name == "whatsapp channel" }
        #expect(check?.level == .failure)
        #expect(check?.detail.contains("whatsapp.access_token") == true)
        config.whatsapp.accessToken = "EAAG-secret-token"
        let ok = Doctor.run(config: config).first { $0.name == "whatsapp channel" }
        #expect(ok?.level == .ok)
        #expect(ok?.detail.contains("EAAG-secret-token") == false)
    }
}
