import Hummingbird
import PCAACore

/// Requires `Authorization: Bearer <security.ops_token>` when a token is configured. (Role- and BID-scoped tokens
/// arrive with the admin work; until then an empty token leaves these routes open, which `config check` warns about.)
struct OpsTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !token.isEmpty else { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), ConstantTime.equal(String(header.dropFirst(7)), token) else {
            throw APIError.badToken
        }
        return try await next(request, context)
    }
}
