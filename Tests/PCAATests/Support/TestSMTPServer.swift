import Foundation

/// The aiosmtpd test server (`Tests/Fixtures/smtp/smtp_server.py`, run with `.venv-test/bin/python`) on a free
/// loopback port, writing every accepted message to its own temporary directory. `make test` creates the venv
/// (`Tests/Fixtures/smtp/setup.sh`); without it the SMTP tests are skipped.
final class TestSMTPServer: @unchecked Sendable {
    static let python = Fixture.root + "/.venv-test/bin/python"
    static let script = Fixture.root + "/Tests/Fixtures/smtp/smtp_server.py"
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// One message as the server received and parsed it.
    struct Received {
        let envelope: [String: Any]
        let raw: Data
        var message: [String: Any] { envelope["message"] as? [String: Any] ?? [:] }
    }

    let directory: String
    let port: Int
    private let process: Process
    private let stdin: Pipe

    private init(directory: String, port: Int, process: Process, stdin: Pipe) {
        self.directory = directory
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// Starts the server with `arguments` (see the script) and returns once it listens.
    static func start(_ arguments: [String] = []) async throws -> TestSMTPServer {
        let directory = TestDaemon.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--dir", directory] + arguments
        let stdin = Pipe()
        process.standardInput = stdin
        _ = FileManager.default.createFile(atPath: directory + "/server.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/server.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let portFile = directory + "/port"
        let ready = await eventually(timeout: 60) { FileManager.default.fileExists(atPath: portFile) || !process.isRunning }
        guard ready, let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) else {
            process.terminate()
            let output = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw TestFailure("the SMTP test server did not start: \(output.suffix(2000))")
        }
        return TestSMTPServer(directory: directory, port: port, process: process, stdin: stdin)
    }

    /// Closes the server's stdin (it exits) and waits for it.
    func stop() async {
        try? stdin.fileHandleForWriting.close()
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// Runs `body` with a started server, stopping it afterwards whatever happens.
    static func with(_ arguments: [String] = [], _ body: (TestSMTPServer) async throws -> Void) async throws {
        let server = try await start(arguments)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Every message accepted so far, in order.
    func messages() throws -> [Received] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("msg-") && $0.hasSuffix(".json") }
            .sorted { Int($0.dropFirst(4).dropLast(5)) ?? 0 < Int($1.dropFirst(4).dropLast(5)) ?? 0 }
        return try names.map { name in
            let base = directory + "/" + name.dropLast(5)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            return Received(envelope: json as? [String: Any] ?? [:], raw: try Data(contentsOf: URL(fileURLWithPath: base + ".eml")))
        }
    }

    /// A loopback port nothing listens on (bound, then released).
    static func closedPort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length)
                return getsockname(descriptor, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A self-signed certificate for 127.0.0.1 made with openssl: (certificate, key) paths.
    static func selfSignedCertificate() throws -> (cert: String, key: String) {
        let directory = TestDaemon.temporaryDirectory()
        let cert = directory + "/cert.pem", key = directory + "/key.pem"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("openssl req -x509 failed (\(process.terminationStatus))") }
        return (cert, key)
    }

    static var hasOpenSSL: Bool {
        ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A loopback socket that listens but never accepts: the kernel completes the TCP handshake and then nothing is
/// ever said, like a hung SMTP server.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let descriptor = self.descriptor
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 4) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard ok else { Glibc.close(descriptor); throw TestFailure("cannot listen on loopback") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(descriptor) }
}
