/// A configuration problem, always naming the key (`section.key`) and the reason.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let reason: String

    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    public var description: String { "\(key): \(reason)" }
}

/// All the problems found in one configuration file, reported together.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let errors: [ConfigError]

    public var description: String {
        "invalid configuration \(path):\n" + errors.map { "  - \($0)" }.joined(separator: "\n")
    }
}
