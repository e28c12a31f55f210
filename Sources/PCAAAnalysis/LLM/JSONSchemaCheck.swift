import PCAACore

/// Checks a JSON value against the subset of JSON Schema ``LLMAnswerSchema`` uses: `type` (a name or a list),
/// `enum`, `properties`, `required`, `additionalProperties: false` and `items`. Returns problems as
/// `path: what is wrong`, at most `limit` of them.
public enum JSONSchemaCheck {
    public static func problems(_ value: JSONValue, schema: JSONValue, path: String = "$", limit: Int = 8) -> [String] {
        var found: [String] = []
        check(value, schema, path, &found, limit)
        return Array(found.prefix(limit))
    }

    private static func check(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ found: inout [String], _ limit: Int) {
        guard found.count < limit else { return }
        if let expected = schema["type"] {
            let names = expected.arrayValue?.compactMap(\.stringValue) ?? [expected.stringValue].compactMap { $0 }
            let actual = value.typeName
            let matches = names.contains { $0 == actual || ($0 == "integer" && actual == "number") }
            guard matches else {
                found.append("\(path): expected \(names.joined(separator: " or ")), found \(actual)")
                return
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            found.append("\(path): \(value.jsonText.prefix(40)) is not one of \(allowed.map(\.jsonText).joined(separator: ", "))")
        }
        if case .object(let members) = value {
            let properties: [String: JSONValue]
            if case .object(let declared)? = schema["properties"] { properties = declared } else { properties = [:] }
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[key] == nil {
                found.append("\(path): missing required key \"\(key)\"")
            }
            for key in members.keys.sorted() {
                if let property = properties[key], let member = members[key] {
                    check(member, property, "\(path).\(key)", &found, limit)
                } else if schema["additionalProperties"] == .bool(false) {
                    found.append("\(path): unexpected key \"\(key)\"")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { check(item, itemSchema, "\(path)[\(index)]", &found, limit) }
        }
    }
}
