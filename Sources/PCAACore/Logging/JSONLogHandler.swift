import Foundation
import Logging

/// Writes one JSON object per line to stderr (seed §10.4): `timestamp`, `level`, `service`, `event`, then metadata.
/// Metadata keys that look like secrets are replaced by `[redacted]`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let service: String
    private let output: Int32

    public init(label: String, level: Logger.Level = .info, fileDescriptor: Int32 = 2) {
        self.service = label
        self.logLevel = level
        self.output = fileDescriptor
    }

    /// Installs this handler for every `Logger` in the process.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        var line = "{\"timestamp\":\(Self.quote(Timestamp.iso8601(Date()))),\"level\":\(Self.quote(event.level.rawValue))"
        line += ",\"service\":\(Self.quote(service)),\"event\":\(Self.quote(event.message.description))"
        for key in fields.keys.sorted() where !["timestamp", "level", "service", "event"].contains(key) {
            line += ",\(Self.quote(key)):\(Self.render(key: key, fields[key]!))"
        }
        line += "}\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(output, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["secret", "password", "token", "api_key", "apikey", "authorization", "signature"].contains { lowered.contains($0) }
    }

    private static func render(key: String, _ value: Logger.Metadata.Value) -> String {
        if isSecretKey(key) { return "\"[redacted]\"" }
        switch value {
        case .string(let text): return quote(text)
        case .stringConvertible(let convertible):
            if convertible is Int || convertible is Int64 || convertible is UInt64 || convertible is Int32 || convertible is Bool {
                return convertible.description
            }
            if let double = convertible as? Double, double.isFinite { return String(double) }
            return quote(convertible.description)
        case .array(let values): return "[" + values.map { render(key: key, $0) }.joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            return "{" + dictionary.keys.sorted().map { "\(quote($0)):\(render(key: $0, dictionary[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}
