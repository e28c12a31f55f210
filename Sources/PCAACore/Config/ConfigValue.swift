/// One scalar value read from the TOML file or from an environment variable.
enum ConfigValue {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    var typeName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        }
    }
}

/// The kind of value a configuration key accepts.
enum ConfigKind {
    case string, int, double, bool

    var expected: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "true or false"
        }
    }

    /// Parses an environment variable's text as this kind.
    func parse(environment text: String) -> ConfigValue? {
        switch self {
        case .string: return .string(text)
        case .int: return Int(text.trimmingCharacters(in: .whitespaces)).map(ConfigValue.int)
        case .double: return Double(text.trimmingCharacters(in: .whitespaces)).map(ConfigValue.double)
        case .bool:
            switch text.lowercased() {
            case "1", "true", "yes", "on": return .bool(true)
            case "0", "false", "no", "off": return .bool(false)
            default: return nil
            }
        }
    }
}

extension ConfigValue {
    func asString() throws(ConfigReason) -> String {
        guard case .string(let value) = self else { throw ConfigReason("expected a string, found \(typeName)") }
        return value
    }

    func asInt(_ range: ClosedRange<Int>) throws(ConfigReason) -> Int {
        guard case .int(let value) = self else { throw ConfigReason("expected an integer, found \(typeName)") }
        guard range.contains(value) else {
            throw ConfigReason("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func asDouble(_ range: ClosedRange<Double>) throws(ConfigReason) -> Double {
        let number: Double
        switch self {
        case .double(let value): number = value
        case .int(let value): number = Double(value)
        default: throw ConfigReason("expected a number, found \(typeName)")
        }
        guard number.isFinite, range.contains(number) else {
            throw ConfigReason("\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func asBool() throws(ConfigReason) -> Bool {
        guard case .bool(let value) = self else { throw ConfigReason("expected true or false, found \(typeName)") }
        return value
    }

    func asChoice(_ choices: [String]) throws(ConfigReason) -> String {
        let value = try asString()
        guard choices.contains(value) else {
            throw ConfigReason("\"\(value)\" is not one of \(choices.joined(separator: ", "))")
        }
        return value
    }
}

/// An http(s) URL; empty only when not `required`.
func httpURL(_ value: ConfigValue, required: Bool) throws(ConfigReason) -> String {
    let url = try value.asString()
    if url.isEmpty, !required { return url }
    guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
        throw ConfigReason("must be an http(s) URL like https://api.example.com")
    }
    return url
}

/// A string that is not empty.
func nonEmpty(_ value: ConfigValue) throws(ConfigReason) -> String {
    let text = try value.asString()
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ConfigReason("must not be empty") }
    return text
}

/// An AWS region name like `us-east-1` or `ap-south-1`; empty means "AWS_REGION, else us-east-1".
func awsRegion(_ value: ConfigValue) throws(ConfigReason) -> String {
    let region = try value.asString()
    guard region.isEmpty || region.range(of: #"^[a-z]{2}(-[a-z]+)+-[0-9]+$"#, options: .regularExpression) != nil else {
        throw ConfigReason("\"\(region)\" is not an AWS region like us-east-1 or ap-south-1")
    }
    return region
}

/// Why a value was refused; the loader pairs it with the key.
struct ConfigReason: Error {
    let text: String
    init(_ text: String) { self.text = text }
}
