import Hummingbird
import Logging

/// Turns anything thrown below it into the documented JSON error shape; unexpected errors become a logged 500
/// whose body reveals nothing internal.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .contentTooLarge ? "body_too_large" : "http_\(error.status.code)"
            throw APIError(error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        } catch {
            logger.error("unhandled_error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internalServerError, code: "internal_error", message: "internal error; see the server log")
        }
    }
}
