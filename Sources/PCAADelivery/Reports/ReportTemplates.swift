import Foundation
import Mustache

/// The message templates, loaded once from a directory of `.mustache` files (the shipped `templates/`, or an
/// operator's copy named by `[notify] templates_dir`): `agent_report.txt|html|whatsapp`, `team_digest.txt|html`,
/// `alert.txt`. Text templates use `{{{…}}}` (no HTML escaping); HTML ones `{{…}}`.
public struct ReportTemplates: Sendable {
    public static let required = ["agent_report.txt", "agent_report.html", "agent_report.whatsapp", "team_digest.txt", "team_digest.html", "alert.txt"]

    private let library: MustacheLibrary

    /// Loads and parses every required template; a missing or unparsable one is an error naming the file.
    public init(directory: String) throws {
        var library = MustacheLibrary()
        for name in Self.required {
            let path = directory + "/" + name + ".mustache"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw TemplateError(message: "template \(path) is missing or not UTF-8")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw TemplateError(message: "template \(path) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// Renders `view` with the template `name` (one of ``required``).
    public func render(_ name: String, _ view: Any) -> String {
        let output = library.render(view, withTemplate: name) ?? ""
        // Sections leave blank lines behind; keep at most one in a row so text messages read cleanly.
        guard !name.hasSuffix(".html") else { return output }
        var lines: [Substring] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace), lines.last?.allSatisfy(\.isWhitespace) ?? true { continue }
            lines.append(line)
        }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A template that cannot be used.
public struct TemplateError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
