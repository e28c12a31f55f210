import Foundation
import PCAACore
import Testing

/// `SigV4Signer` against AWS's published signing test suite (`Tests/Fixtures/sigv4`, see its README) and the two
/// S3 worked examples of the S3 API reference.
@Suite("SigV4 vectors")
struct SigV4VectorTests {
    static let cases = [
        "get-vanilla", "get-vanilla-query-order-key-case", "get-header-value-trim", "get-utf8", "get-space-normalized",
        "get-slashes-normalized", "post-vanilla", "post-x-www-form-urlencoded", "get-vanilla-with-session-token",
    ]

    /// A request from a `request.txt`: `METHOD PATH HTTP/1.1`, `Name:value` lines, a blank line, the body.
    struct VectorRequest {
        var method: String
        var path: String
        var query: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        init(_ text: String) throws {
            let (head, body) = text.range(of: "\n\n").map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) } ?? (text, "")
            var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let requestLine = lines.removeFirst()
            guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " ") else {
                throw TestFailure("bad request line \(requestLine)")
            }
            method = String(requestLine[..<firstSpace])
            let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
            if let question = target.firstIndex(of: "?") {
                path = String(target[..<question])
                query = String(target[target.index(after: question)...])
            } else {
                path = target
                query = ""
            }
            headers = try lines.filter { !$0.isEmpty }.map { line in
                guard let colon = line.firstIndex(of: ":") else { throw TestFailure("bad header \(line)") }
                return (name: String(line[..<colon]), value: String(line[line.index(after: colon)...]))
            }
            self.body = Array(body.utf8)
        }
    }

    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var normalize: Bool?
        var region: String
        var service: String
        var timestamp: String
    }

    static func file(_ name: String, _ file: String) throws -> String {
        try String(contentsOfFile: Fixture.root + "/Tests/Fixtures/sigv4/\(name)/\(file)", encoding: .utf8)
    }

    static func date(_ iso: String) throws -> Date {
        guard let date = ISO8601DateFormatter().date(from: iso) else { throw TestFailure("bad timestamp \(iso)") }
        return date
    }

    @Test(arguments: cases)
    func awsSigningTestSuite(_ name: String) throws {
        let context = try JSONDecoder().decode(Context.self, from: Data(try Self.file(name, "context.json").utf8))
        let request = try VectorRequest(try Self.file(name, "request.txt"))
        var signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
                                        sessionToken: context.credentials.token),
            region: context.region, service: context.service)
        signer.normalizePath = context.normalize ?? true
        let signature = signer.sign(method: request.method, path: request.path, query: request.query, headers: request.headers,
                                    body: request.body, date: try Self.date(context.timestamp))
        let expectedCanonical = try Self.file(name, "header-canonical-request.txt")
        let expectedStringToSign = try Self.file(name, "header-string-to-sign.txt")
        let expectedSignature = try Self.file(name, "header-signature.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(signature.canonicalRequest == expectedCanonical)
        #expect(signature.stringToSign == expectedStringToSign)
        #expect(signature.signature == expectedSignature)
        // The expected string to sign itself yields AWS's published signature (an HMAC chain written out here, not
        // the signer's), so a hand-written expectation cannot be wrong in the same way as the signer.
        #expect(Self.independentSignature(stringToSign: expectedStringToSign, secret: context.credentials.secret_access_key,
                                          day: "20150830", region: context.region, service: context.service) == expectedSignature)
        if let signed = try? Self.file(name, "header-signed-request.txt") {
            #expect(signed.contains("Authorization:\(signature.authorization)\n"))
        }
        if context.credentials.token != nil {
            #expect(signature.addedHeaders.contains { $0.name == "X-Amz-Security-Token" && $0.value == context.credentials.token })
        }
    }

    static func independentSignature(stringToSign: String, secret: String, day: String, region: String, service: String) -> String {
        var key = WebhookSignature.hmacSHA256(key: Array("AWS4\(secret)".utf8), message: Array(day.utf8))
        key = WebhookSignature.hmacSHA256(key: key, message: Array(region.utf8))
        key = WebhookSignature.hmacSHA256(key: key, message: Array(service.utf8))
        key = WebhookSignature.hmacSHA256(key: key, message: Array("aws4_request".utf8))
        return WebhookSignature.hex(WebhookSignature.hmacSHA256(key: key, message: Array(stringToSign.utf8)))
    }

    // MARK: S3 worked examples

    static let s3 = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "s3")

    @Test func s3GetObjectWithRange() throws {
        #expect(!Self.s3.doubleEncodePath && Self.s3.sendsContentSHA256)
        let signature = Self.s3.sign(
            method: "GET", path: "/test.txt", query: "",
            headers: [(name: "Host", value: "examplebucket.s3.amazonaws.com"), (name: "Range", value: "bytes=0-9")],
            body: [], date: try Self.date("2013-05-24T00:00:00Z"))
        #expect(signature.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signature.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signature.addedHeaders.contains { $0.name == "x-amz-content-sha256" })
    }

    @Test func s3PutObjectEncodesThePathOnce() throws {
        let signature = Self.s3.sign(
            method: "PUT", path: "/test$file.text", query: "",
            headers: [(name: "Host", value: "examplebucket.s3.amazonaws.com"), (name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
                      (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY")],
            body: Array("Welcome to Amazon S3.".utf8), date: try Self.date("2013-05-24T00:00:00Z"))
        #expect(signature.canonicalRequest.split(separator: "\n").dropFirst().first == "/test%24file.text")
        #expect(signature.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
        // The same key already encoded on the wire is signed the same way: S3 encodes once.
        let wire = Self.s3.sign(
            method: "PUT", path: "/test%24file.text", query: "",
            headers: [(name: "Host", value: "examplebucket.s3.amazonaws.com"), (name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
                      (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY")],
            body: Array("Welcome to Amazon S3.".utf8), date: try Self.date("2013-05-24T00:00:00Z"))
        #expect(wire.signature == signature.signature)
    }

    // MARK: Bedrock's path

    @Test func otherServicesEncodeThePathTwice() {
        #expect(SigV4Canonical.uri("/model/amazon.nova-lite-v1%3A0/converse", doubleEncode: true, normalize: true)
            == "/model/amazon.nova-lite-v1%253A0/converse")
        #expect(SigV4Canonical.uri("/model/amazon.nova-lite-v1%3A0/converse", doubleEncode: false, normalize: false)
            == "/model/amazon.nova-lite-v1%3A0/converse")
        let parts = SigV4URL("http://127.0.0.1:8123/model/us.amazon.nova-lite-v1%3A0/converse?a=1")
        #expect(parts == SigV4URL("http://127.0.0.1:8123/model/us.amazon.nova-lite-v1%3A0/converse?a=1"))
        #expect(parts?.host == "127.0.0.1:8123" && parts?.path == "/model/us.amazon.nova-lite-v1%3A0/converse" && parts?.query == "a=1")
        #expect(SigV4URL("https://bedrock-runtime.us-east-1.amazonaws.com:443/x")?.host == "bedrock-runtime.us-east-1.amazonaws.com")
        #expect(!String(describing: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "SECRETVALUE", sessionToken: "TOKENVALUE"))
            .contains("SECRETVALUE"))
    }
}
