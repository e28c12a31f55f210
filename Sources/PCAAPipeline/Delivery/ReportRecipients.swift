import PCAACore
import PCAAStore

/// One address on one channel, with the name to greet.
public struct Recipient: Sendable, Equatable, Hashable {
    public var channel: String
    public var address: String
    public var name: String?
}

/// Works out who receives a call's report from the BID's `notification_config` rows: the agent (`agent_self`: e-mail
/// to the webhook's agent_email, else their `agent_profiles` e-mail; WhatsApp to the profile's WhatsApp number when one
/// is set — it is explicitly a WhatsApp number — else the webhook's agent_phone, else the profile's phone), the
/// agent's supervisors (`supervisor`: the supervisors of the agent's group — the profile's `supervisor_group`, else the
/// call's `group_name`), or a fixed address (`custom_email`). Each (channel, address) appears once.
enum ReportRecipients {
    /// `call` is nil for a team digest, which has no agent of its own (`agent_self` rows then name nobody).
    static func resolve(configs: [NotificationConfig], call: Call?, profile: AgentProfile?, supervisors: [AgentProfile],
                        notifier: String) -> [Recipient] {
        var result: [Recipient] = []
        func add(_ channel: String, _ address: String?, _ name: String?) {
            guard let address = address?.trimmingCharacters(in: .whitespaces), !address.isEmpty else { return }
            let recipient = Recipient(channel: channel, address: address, name: name)
            if !result.contains(where: { $0.channel == channel && $0.address.lowercased() == address.lowercased() }) { result.append(recipient) }
        }
        for config in configs {
            for channel in DeliveryMode.channels(of: config, setting: notifier) {
                switch config.recipientType {
                case .agentSelf:
                    guard let call else { continue }
                    let name = call.agentName ?? profile?.agentName
                    if channel == "email" { add(channel, call.agentEmail ?? profile?.email, name) }
                    else { add(channel, profile?.whatsapp ?? call.agentPhone ?? profile?.phone, name) }
                case .supervisor:
                    for supervisor in supervisors {
                        if channel == "email" { add(channel, supervisor.email, supervisor.agentName) }
                        else { add(channel, supervisor.whatsapp ?? supervisor.phone, supervisor.agentName) }
                    }
                case .customEmail:
                    if channel == "email" { add(channel, config.customEmail, nil) }
                }
            }
        }
        return result
    }
}
