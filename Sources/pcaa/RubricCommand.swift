import ArgumentParser
import Foundation
import PCAACore
import PCAAStore

/// `pcaa rubric show|set|template|pass-mark`: a BID's quality rubric (`quality_parameters`), editable per BID.
struct RubricCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rubric", abstract: "Show or edit a BID's quality rubric.", subcommands: [Show.self, Set.self, Template.self, PassMark.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rubric items and the pass mark.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String

        func run() async throws {
            let database = try await options.openForBID(bid)
            let config = try await database.bidConfig(bid: bid)
            print("pass mark \(config.map { String($0.passThreshold) } ?? "?") (template \(config?.qualityTemplate ?? "?"))")
            for row in try await database.qualityParameters(bid: bid) {
                let item = row.rubricItem
                print("\(item.name): weight \(item.weight), \(item.kind.rawValue), \(item.speaker?.rawValue ?? "anyone"), \(item.window.rawValue)"
                    + (item.autoFail ? ", auto-fail" : "") + (row.enabled ? "" : " (disabled)"))
                print("    \(item.description)")
                if !item.cuePhrases.isEmpty { print("    cues: " + item.cuePhrases.joined(separator: " | ")) }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or change one rubric item (matched by name).",
            discussion: "Example: pcaa rubric set --bid 6004 --name \"Disclosure\" --weight 10 --cues \"this call is recorded|recorded line\" --window opening --auto-fail")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String
        @Option(help: "The item's name.") var name: String
        @Option(help: "What the item checks (shown in reports and given to language models).") var description: String?
        @Option(help: "Weight (maximum score), 0–100.") var weight: Int?
        @Option(help: "Cue phrases separated by |.") var cues: String?
        @Option(help: "expected or prohibited.") var kind: String?
        @Option(help: "agent, customer or anyone.") var speaker: String?
        @Option(help: "anywhere, opening or closing.") var window: String?
        @Flag(inversion: .prefixedNo, help: "Whether failing this item fails the call.") var autoFail: Bool?
        @Flag(inversion: .prefixedEnableDisable, help: "Switch the item on or off.") var enable: Bool?

        func run() async throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100 else { throw ValidationError("--name must be 1–100 characters") }
            if let weight, !(0...100).contains(weight) { throw ValidationError("--weight must be 0–100") }
            if let kind, RubricItemKind(rawValue: kind) == nil { throw ValidationError("--kind must be expected or prohibited") }
            if let speaker, speaker != "anyone", SpeakerRole(rawValue: speaker) == nil { throw ValidationError("--speaker must be agent, customer or anyone") }
            if let window, RubricWindow(rawValue: window) == nil { throw ValidationError("--window must be anywhere, opening or closing") }
            let phrases = cues.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            let encoded = try phrases.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            let database = try await options.openForBID(bid)
            let (description, weight, kind, speaker, window, autoFail, enable) = (description, weight, kind, speaker, window, autoFail, enable)
            let (_, created) = try await database.saveQualityParameter(bid: bid, name: name) { row in
                if let description { row.description = description }
                if let weight { row.weight = weight }
                if let encoded { row.cuePhrases = encoded }
                if let kind { row.kind = kind }
                if let speaker { row.speaker = speaker == "anyone" ? nil : speaker }
                if let window { row.window = window }
                if let autoFail { row.autoFail = autoFail }
                if let enable { row.enabled = enable }
            }
            print("\(bid): \(name) \(created ? "added" : "updated")")
        }
    }

    struct Template: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the rubric with a template: presales, support or collections.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String
        @Argument(help: "presales, support or collections.") var template: String

        func run() async throws {
            guard QualityTemplates.names.contains(template) else { throw ValidationError("template must be one of \(QualityTemplates.names.joined(separator: ", "))") }
            try await options.openForBID(bid).applyQualityTemplate(bid: bid, template: template)
            print("\(bid): rubric replaced by the \(template) template")
        }
    }

    struct PassMark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pass-mark", abstract: "Set the total score (0–100) a call needs to pass.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "The BID.") var bid: String
        @Argument(help: "The pass mark, 0–100.") var mark: Double

        func run() async throws {
            guard mark.isFinite, (0...100).contains(mark) else { throw ValidationError("the pass mark must be 0–100") }
            try await options.openForBID(bid).setPassThreshold(bid: bid, mark)
            print("\(bid): pass mark \(mark)")
        }
    }
}
