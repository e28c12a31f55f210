import Foundation
import Hummingbird
import PCAANet
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Hummingbird re-exports HTTPTypes.HTTPRequest/HTTPResponse, so PCAANet's types are qualified below.

/// Integration tests for `CurlHTTPClient` against a real Hummingbird server on 127.0.0.1.
@Suite("CurlHTTPClient")
struct CurlHTTPClientTests {
    let client = CurlHTTPClient(userAgent: "pcaa-tests")

    @Test func getReturnsStatusHeadersAndBody() async throws {
        try await withTestServer { base in
            let response = try await client.send(PCAANet.HTTPRequest(
                method: "GET", url: "\(base)/hello", headers: [(name: "X-Echo", value: "ping")]))
            #expect(response.status == 200)
            #expect(response.bodyString == "hello world")
            #expect(response.header("X-Test") == "hello")
            #expect(response.header("x-test") == "hello")
            #expect(response.headers["x-test"] == "hello")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(response.header("x-echo") == "ping")
            #expect(response.header("x-user-agent") == "pcaa-tests")
            #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() })
        }
    }

    @Test func postBodyIsEchoed() async throws {
        try await withTestServer { base in
            let payload = Array("{\"call\":42,\"text\":\"ünïcode\"}".utf8)
            let response = try await client.send(PCAANet.HTTPRequest(
                method: "POST", url: "\(base)/echo",
                headers: [(name: "Content-Type", value: "application/json")], body: payload))
            #expect(response.status == 200)
            #expect(response.body == payload)
            #expect(response.header("x-method") == "POST")
            #expect(response.header("x-content-type") == "application/json")
        }
    }

    @Test func putBodyIsEchoed() async throws {
        try await withTestServer { base in
            let payload: [UInt8] = (0..<100_000).map { UInt8($0 % 256) }
            let response = try await client.send(PCAANet.HTTPRequest(method: "PUT", url: "\(base)/echo", body: payload))
            #expect(response.status == 200)
            #expect(response.body == payload)
            #expect(response.header("x-method") == "PUT")
        }
    }

    @Test func notFoundReturnsErrorBody() async throws {
        try await withTestServer { base in
            let response = try await client.send(PCAANet.HTTPRequest(url: "\(base)/missing"))
            #expect(response.status == 404)
            #expect(response.bodyString == "no such thing")
        }
    }

    @Test func headReturnsHeadersWithoutBody() async throws {
        try await withTestServer { base in
            let response = try await client.send(PCAANet.HTTPRequest(method: "HEAD", url: "\(base)/big"), maxResponseBytes: 1024)
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    @Test func sendRefusesOversizedBody() async throws {
        try await withTestServer { base in
            // Content-Length announces 3 MB: refused before the body arrives.
            let early = await #expect(throws: HTTPClientError.self) {
                try await client.send(PCAANet.HTTPRequest(url: "\(base)/big"), maxResponseBytes: 1 << 20)
            }
            #expect(isTooLarge(early, limit: 1 << 20))
            // Chunked body without Content-Length: aborted while streaming.
            let streamed = await #expect(throws: HTTPClientError.self) {
                try await client.send(PCAANet.HTTPRequest(url: "\(base)/stream"), maxResponseBytes: 1 << 20)
            }
            #expect(isTooLarge(streamed, limit: 1 << 20))
            #expect(streamed?.isTransient == false)
        }
    }

    @Test func redirectIsFollowed() async throws {
        try await withTestServer { base in
            let response = try await client.send(PCAANet.HTTPRequest(url: "\(base)/redirect"))
            #expect(response.status == 200)
            #expect(response.bodyString == "hello world")
            #expect(response.header("location") == nil) // only the final response's headers
            #expect(response.header("x-test") == "hello")
        }
    }

    @Test func downloadStreamsBodyToFile() async throws {
        try await withTestServer { base in
            let path = temporaryPath("big.bin")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try await client.download(url: "\(base)/big", to: path, maxBytes: 10 << 20, timeout: 30)
            #expect(result.status == 200)
            #expect(result.bytes == Int64(bigBody.count))
            #expect(result.contentType == "application/octet-stream")
            #expect(result.errorBody == nil)
            let written = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(written.count == bigBody.count)
            #expect([UInt8](written) == bigBody)
            #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        }
    }

    @Test func downloadFollowsRedirect() async throws {
        try await withTestServer { base in
            let path = temporaryPath("redirected.txt")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try await client.download(url: "\(base)/redirect", to: path, maxBytes: 1024, timeout: 10)
            #expect(result.status == 200)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello world")
        }
    }

    @Test func downloadOverLimitLeavesNoFile() async throws {
        try await withTestServer { base in
            for route in ["big", "stream"] { // with and without Content-Length
                let path = temporaryPath("\(route).bin")
                let error = await #expect(throws: HTTPClientError.self) {
                    try await client.download(url: "\(base)/\(route)", to: path, maxBytes: 1 << 20, timeout: 30)
                }
                #expect(isTooLarge(error, limit: 1 << 20), "route \(route)")
                #expect(!FileManager.default.fileExists(atPath: path))
                #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
            }
        }
    }

    @Test func downloadOfErrorStatusLeavesNoFile() async throws {
        try await withTestServer { base in
            let path = temporaryPath("missing.bin")
            let result = try await client.download(url: "\(base)/missing", to: path, maxBytes: 1024, timeout: 10)
            #expect(result.status == 404)
            #expect(result.bytes == 0)
            #expect(result.errorBody == "no such thing")
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: path + ".partial"))

            let big = try await client.download(url: "\(base)/error-big", to: path, maxBytes: 1024, timeout: 10)
            #expect(big.status == 500)
            #expect(big.errorBody?.utf8.count == 4096)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func stalledServerTimesOut() async throws {
        try await withTestServer { base in
            let start = ContinuousClock.now
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.send(PCAANet.HTTPRequest(url: "\(base)/stall", timeout: 1))
            }
            #expect(isTimedOut(error))
            #expect(error?.isTransient == true)
            #expect(ContinuousClock.now - start < .seconds(2.5))

            let path = temporaryPath("stall.bin")
            let downloadError = await #expect(throws: HTTPClientError.self) {
                try await client.download(url: "\(base)/stall", to: path, maxBytes: 1024, timeout: 1)
            }
            #expect(isTimedOut(downloadError))
            #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        }
    }

    @Test func cancellationAbortsTransfer() async throws {
        try await withTestServer { base in
            let start = ContinuousClock.now
            let task = Task { [client] in
                try await client.send(PCAANet.HTTPRequest(url: "\(base)/stall", timeout: 20))
            }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            // Well before the 20 s timeout (curl notices cancellation within ~1 s; margin for a loaded CI box).
            #expect(ContinuousClock.now - start < .seconds(8))
        }
    }

    @Test func connectionRefusedIsTransient() async throws {
        let port = try closedPort()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(PCAANet.HTTPRequest(url: "http://127.0.0.1:\(port)/", timeout: 5, connectTimeout: 2))
        }
        guard case .connectionFailed(let url, _)? = error else {
            Issue.record("expected .connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:\(port)/")
        #expect(error?.isTransient == true)

        let path = temporaryPath("refused.bin")
        let downloadError = await #expect(throws: HTTPClientError.self) {
            try await client.download(url: "http://127.0.0.1:\(port)/x", to: path, maxBytes: 10, timeout: 5)
        }
        #expect(downloadError?.isTransient == true)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test func nonHTTPURLsAreRejected() async throws {
        for url in ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com", "not a url"] {
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.send(PCAANet.HTTPRequest(url: url))
            }
            guard case .invalidURL(let rejected)? = error else {
                Issue.record("expected .invalidURL for \(url), got \(String(describing: error))")
                continue
            }
            #expect(rejected == url)
            #expect(error?.isTransient == false)
        }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.download(url: "file:///etc/hostname", to: temporaryPath("file.bin"), maxBytes: 10, timeout: 5)
        }
        #expect(error.map { if case .invalidURL = $0 { true } else { false } } == true)
    }
}

// MARK: - Helpers

/// 3 MB of deterministic bytes served by `/big` and `/stream`.
private let bigBody: [UInt8] = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }

private func isTooLarge(_ error: HTTPClientError?, limit: Int) -> Bool {
    if case .responseTooLarge(let actual)? = error { return actual == limit }
    return false
}

private func isTimedOut(_ error: HTTPClientError?) -> Bool {
    if case .timedOut? = error { return true }
    return false
}

private func temporaryPath(_ name: String) -> String {
    TestDaemon.temporaryDirectory() + "/" + name
}

private struct ServerStartError: Error {}

/// A port on 127.0.0.1 that nothing listens on (bound briefly without `listen`, then closed).
private func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServerStartError() }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
        }
    }
    guard bound else { throw ServerStartError() }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Runs a Hummingbird test server on an ephemeral 127.0.0.1 port while `body` runs with its base URL.
private func withTestServer(_ body: @Sendable (String) async throws -> Void) async throws {
    let router = Router()
    router.get("hello") { request, _ -> Response in
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8", .init("X-Test")!: "hello"]
        for field in request.headers where field.name.canonicalName == "x-echo" {
            headers.append(.init(name: .init("X-Echo")!, value: field.value))
        }
        if let agent = request.headers.first(where: { $0.name.canonicalName == "user-agent" }) {
            headers.append(.init(name: .init("X-User-Agent")!, value: agent.value))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "hello world")))
    }
    let echo: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
        var request = request
        let received = try await request.collectBody(upTo: 10 << 20)
        var headers: HTTPFields = [.init("X-Method")!: request.method.rawValue]
        if let type = request.headers.first(where: { $0.name.canonicalName == "content-type" }) {
            headers.append(.init(name: .init("X-Content-Type")!, value: type.value))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: received))
    }
    router.post("echo", use: echo)
    router.put("echo", use: echo)
    router.get("missing") { _, _ -> Response in
        Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such thing")))
    }
    router.get("error-big") { _, _ -> Response in
        Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "e"), count: 10_000)))
    }
    router.get("big") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: bigBody)))
    }
    router.head("big") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: "\(bigBody.count)"])
    }
    router.get("stream") { _, _ -> Response in
        Response(status: .ok, body: ResponseBody { writer in
            var offset = 0
            while offset < bigBody.count {
                let end = min(offset + 64 * 1024, bigBody.count)
                try await writer.write(ByteBuffer(bytes: bigBody[offset..<end]))
                offset = end
            }
            try await writer.finish(nil)
        })
    }
    router.get("stall") { _, _ -> Response in
        try await Task.sleep(for: .seconds(3))
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "too late")))
    }
    router.get("redirect") { _, _ -> Response in
        Response(status: .found, headers: [.location: "/hello"], body: .init(byteBuffer: ByteBuffer(string: "moved")))
    }

    try await withLoopbackServer(router, body)
}
