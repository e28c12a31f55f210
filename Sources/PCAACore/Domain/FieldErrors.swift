/// One invalid or missing field in a request body.
public struct FieldError: Sendable, Equatable, Codable {
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// Every invalid field of one request, so the 422 answer names them all.
public struct ValidationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public let fields: [FieldError]
    public init(_ fields: [FieldError]) { self.fields = fields }

    public var description: String {
        fields.map { "\($0.field): \($0.reason)" }.joined(separator: "; ")
    }
}
