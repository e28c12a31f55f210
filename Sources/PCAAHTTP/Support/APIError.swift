import Foundation
import Hummingbird
import PCAACore

/// The JSON shape of every error.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let fields: [FieldError]?
    }
    let error: Detail
}

/// Every error a client sees: JSON `{"error": {"code", "message", "fields"?}}` with the right status.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let fields: [FieldError]
    public let retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, code: String, message: String, fields: [FieldError] = [], retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.retryAfterSeconds = retryAfterSeconds
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorBody(error: .init(code: code, message: message, fields: fields.isEmpty ? nil : fields))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        let data = try JSONEncoder().encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: The errors the API documents

    static func malformed(_ reason: String) -> APIError {
        APIError(.badRequest, code: "malformed_json", message: "body is not valid JSON: \(reason)")
    }

    static func invalid(_ errors: ValidationErrors) -> APIError {
        APIError(.unprocessableContent, code: "invalid_fields", message: "invalid fields: " + errors.fields.map(\.field).joined(separator: ", "),
                 fields: errors.fields)
    }

    static let badSignature = APIError(.unauthorized, code: "invalid_signature", message: "X-Mcube-Signature is missing or does not match the body")
    static let badToken = APIError(.unauthorized, code: "invalid_token", message: "a valid bearer token is required")

    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", message: "body is larger than \(limit) bytes")
    }

    static func unavailable(_ message: String) -> APIError {
        APIError(.serviceUnavailable, code: "storage_unavailable", message: message, retryAfterSeconds: 5)
    }

    static let notFound = APIError(.notFound, code: "not_found", message: "no such resource")
}
