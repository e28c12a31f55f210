import Hummingbird
import NIOCore

/// Reads a request body into memory up to `limit` bytes, refusing early when Content-Length already says too much.
enum RequestBody {
    struct TooLarge: Error {}

    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw TooLarge()
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw TooLarge()
        }
    }
}
