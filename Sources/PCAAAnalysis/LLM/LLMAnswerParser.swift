import PCAACore

/// Turns a model's reply text into a validated answer: the JSON object is extracted (tolerating ```json fences and
/// text around it), parsed strictly, checked against ``LLMAnswerSchema`` and against the rubric (one entry per
/// item, scores within 0…weight).
public enum LLMAnswerParser {
    /// Why an answer cannot be used, in words the model can act on when it is asked again.
    public struct Invalid: Error, Sendable, Equatable {
        public var problems: [String]
    }

    public static func parse(_ text: String, truncated: Bool, rubric: Rubric) -> Result<JSONValue, Invalid> {
        if truncated {
            return .failure(Invalid(problems: ["the answer was cut off at the token limit; keep reasons and quotes short"]))
        }
        guard let json = extractObject(text) else {
            return .failure(Invalid(problems: ["no JSON object found in the answer"]))
        }
        let value: JSONValue
        do {
            value = try StrictJSON.parse(Array(json.utf8))
        } catch {
            return .failure(Invalid(problems: ["the answer is not valid JSON (\(error.description))"]))
        }
        var problems = JSONSchemaCheck.problems(value, schema: LLMAnswerSchema.schema)
        if problems.isEmpty { problems = rubricProblems(value, rubric: rubric) }
        return problems.isEmpty ? .success(value) : .failure(Invalid(problems: problems))
    }

    /// The outermost `{…}` of `text`, after removing Markdown code fences.
    static func extractObject(_ text: String) -> String? {
        var body = Substring(text)
        if let fence = body.range(of: "```") {
            let afterFence = body[fence.upperBound...]
            // Skip the info string (```json) up to the end of the line.
            let contentStart = afterFence.firstIndex(of: "\n").map { afterFence.index(after: $0) } ?? afterFence.startIndex
            let content = afterFence[contentStart...]
            body = content.range(of: "```").map { content[..<$0.lowerBound] } ?? content
        }
        guard let open = body.firstIndex(of: "{"), let close = body.lastIndex(of: "}"), open < close else { return nil }
        return String(body[open...close])
    }

    /// Every rubric item needs its entry, by name, with a numeric score within its weight.
    static func rubricProblems(_ value: JSONValue, rubric: Rubric) -> [String] {
        let entries = value["parameters"]?.arrayValue ?? []
        var problems: [String] = []
        var byName: [String: JSONValue] = [:]
        for entry in entries {
            if let name = entry["name"]?.stringValue?.lowercased() { byName[name] = byName[name] ?? entry }
        }
        for item in rubric.items {
            guard let entry = byName[item.name.lowercased()] else {
                problems.append("parameters: no entry for rubric item \"\(item.name)\"")
                continue
            }
            if let score = entry["score"]?.numberValue, !(0...Double(max(0, item.weight))).contains(score) {
                problems.append("parameters \"\(item.name)\": score \(score) is outside 0…\(item.weight)")
            }
        }
        return problems
    }
}
