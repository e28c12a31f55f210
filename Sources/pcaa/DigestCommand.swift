import ArgumentParser
import Foundation
import PCAACore
import PCAADelivery
import PCAAPipeline
import PCAAStore

/// `pcaa digest --bid B [--date D]`: builds a BID's team digests for a local day (default: yesterday in the BID's
/// digest time zone), prints them and delivers them as the scheduler would (the outbox by default), once per group
/// and day. `--dry-run` only prints.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "digest", abstract: "Produce a BID's supervisor team digest for a day.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "The BID.") var bid: String
    @Option(help: "The local day, YYYY-MM-DD (default: yesterday in the digest's time zone).") var date: String?
    @Option(help: "Only this supervisor group.") var group: String?
    @Flag(help: "Print the digests without delivering them.") var dryRun = false

    func run() async throws {
        let config = try options.load()
        let database = try await options.openForBID(bid, config: config)
        let schedule = try await database.notificationConfigs(bid: bid, kind: .supervisorDigest).first
        let zone = TimeZone(identifier: schedule?.timezone ?? "Asia/Kolkata") ?? TimeZone(identifier: "Asia/Kolkata") ?? .gmt
        let period = date ?? LocalDay.yesterday(in: zone)
        guard LocalDay.bounds(of: period, in: zone) != nil else { throw ValidationError("--date must be a date YYYY-MM-DD") }
        let templates = try ReportTemplates(directory: config.notify.templatesDir)
        let producer = DigestProducer(database: database, providers: ProviderRegistry.delivery(config: config), templates: templates)

        guard !dryRun, let schedule else {
            if schedule == nil { print("# no enabled supervisor_digest row for \(bid): printing only") }
            let digests = try await producer.digests(bid: bid, period: period, timeZone: zone, group: group)
            if digests.isEmpty { print("no calls on \(period) (\(zone.identifier)) for \(bid)") }
            for digest in digests { print(templates.digest(digest).text) }
            return
        }
        // Forced: recipients added since an earlier run get it; those who already did are skipped (delivery log).
        let results = try await producer.produce(bid: bid, period: period, schedule: schedule, force: true)
            .filter { (result: DigestProducer.Result) in group == nil || result.digest.group == group }
        if results.isEmpty { print("no calls on \(period) (\(zone.identifier)) for \(bid)") }
        for result in results {
            print(result.text)
            let note = result.fresh ? "delivered to \(result.delivered) recipient(s)" : "already produced earlier"
            print("# \(result.digest.group) \(period): \(result.status), \(note)"
                + (result.failures.isEmpty ? "" : "; failures: " + result.failures.map(\.description).joined(separator: "; ")))
        }
        if results.contains(where: { $0.status == "pending" }) { throw ExitCode(1) }
    }
}
