import Foundation
import Logging
import PCAACore
import PCAADelivery
import ServiceLifecycle

/// Delivers raised alerts to the operators (`[alerts] ops_emails` / `ops_whatsapp`): to files under
/// `<data_dir>/outbox/_ops/` by default, over SMTP / WhatsApp with `delivery = "live"`. Alerts bypass the
/// notifications table on purpose: a storage alert must still go out when the database is the problem.
public struct AlertSender: Service {
    let alerts: AlertGate
    let settings: PCAAConfig.Alerts
    let providers: ProviderRegistry
    let outbox: OutboxNotifier
    let templates: ReportTemplates
    let logger: Logger

    public init(alerts: AlertGate, settings: PCAAConfig.Alerts, providers: ProviderRegistry, dataDir: String, templates: ReportTemplates,
                logger: Logger = Logger(label: "alerts")) {
        self.alerts = alerts
        self.settings = settings
        self.providers = providers
        self.outbox = OutboxNotifier(directory: dataDir + "/outbox/_ops")
        self.templates = templates
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await alert in alerts.raised {
                await deliver(alert)
            }
        }
    }

    /// Sends one alert to every ops recipient; failures are logged, never retried in a loop (the next alert of the
    /// incident comes after the cooldown).
    func deliver(_ alert: RaisedAlert) async {
        let mode = DeliveryMode(setting: settings.delivery)
        guard mode != .none else { return }
        let recipients = settings.opsEmailList.map { ("email", $0) } + settings.opsWhatsAppList.map { ("whatsapp", $0) }
        guard !recipients.isEmpty else { return }
        struct View {
            let kind: String
            let bid: String?
            let message: String
            let suppressed: Int?
            let host: String
            let time: String
        }
        let text = templates.render("alert.txt", View(
            kind: alert.kind, bid: alert.bid, message: alert.message, suppressed: alert.suppressed > 0 ? alert.suppressed : nil,
            host: ProcessInfo.processInfo.hostName, time: Timestamp.iso8601(alert.at)))
        let stamp = Int(alert.at.timeIntervalSince1970)
        for (channel, address) in recipients {
            let message = OutboundMessage(
                channel: channel, recipient: address, subject: "[pcaa alert] \(alert.kind)" + (alert.bid.map { " (BID \($0))" } ?? ""), text: text,
                whatsAppTemplate: channel == "whatsapp" ? WhatsAppTemplate(name: "", language: "",
                                                                           bodyParameters: [alert.kind, alert.bid ?? "all", alert.message]) : nil,
                idempotencyKey: "alert|\(alert.kind)|\(alert.bid ?? "all")|\(stamp)|\(channel)|\(address.lowercased())", bid: "alerts", callid: nil)
            let notifier: (any Notifier)? = mode == .outbox ? outbox : providers.notifier(named: channel)
            do {
                guard let notifier else { continue }
                let receipt = try await notifier.deliver(message)
                logger.notice("alert_delivered", metadata: ["alert": "\(alert.kind)", "channel": "\(channel)", "message_id": "\(receipt.providerMessageID)"])
            } catch {
                logger.error("alert_delivery_failed", metadata: ["alert": "\(alert.kind)", "channel": "\(channel)", "error": "\(error)"])
            }
        }
    }
}
