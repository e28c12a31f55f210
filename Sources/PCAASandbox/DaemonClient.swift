import Foundation
import PCAACore
import PCAANet

/// The sandbox's view of the pcaa daemon: signed webhook POSTs with Mcube's retries, and JSON GETs.
struct DaemonClient: Sendable {
    let baseURL: String
    let opsHeaders: [(name: String, value: String)]
    let retry: McubeRetryPolicy
    let http = CurlHTTPClient(userAgent: "mcube-sandbox (pcaa)")

    /// A parsed JSON answer (`json` is nil when the body is not a JSON object).
    struct JSONAnswer {
        var status: Int
        var json: [String: Any]?
        var text: String
    }

    /// POSTs `body` to `path`, signed with `secret`, retrying as Mcube does. Throws only on cancellation.
    func postSigned(_ path: String, body: [UInt8], secret: String) async throws -> WebhookDelivery {
        let request = PCAANet.HTTPRequest(
            method: "POST", url: baseURL + path,
            headers: [
                (name: "Content-Type", value: "application/json"),
                (name: WebhookSignature.headerName, value: WebhookSignature.sign(body: body, secret: secret)),
            ],
            body: body, timeout: 20, connectTimeout: 5)
        var attempt = 0
        var lastStatus: Int?
        var lastError: String?
        while attempt < retry.maxAttempts {
            attempt += 1
            var retryAfter: String?
            do {
                let response = try await http.send(request, maxResponseBytes: 1 << 20)
                lastStatus = response.status
                if (200...299).contains(response.status) {
                    let json = Self.object(response.body)
                    var delivery = WebhookDelivery(attempts: attempt, httpStatus: response.status, answer: json?["status"] as? String,
                                                   acknowledgedAt: Date(), error: nil)
                    delivery.webhookSecret = json?["webhook_secret"] as? String
                    return delivery
                }
                lastError = Self.snippet(response.bodyString)
                guard McubeRetryPolicy.isRetryable(status: response.status) else { break }
                retryAfter = response.header("Retry-After")
            } catch let error as HTTPClientError {
                try Task.checkCancellation()
                lastStatus = nil
                lastError = error.description
                guard error.isTransient else { break }
            }
            if attempt < retry.maxAttempts {
                try await Task.sleep(for: .seconds(retry.delay(afterAttempt: attempt, retryAfter: retryAfter)))
            }
        }
        return WebhookDelivery(attempts: attempt, httpStatus: lastStatus, answer: nil, acknowledgedAt: nil, error: lastError)
    }

    /// GETs `path` (with the ops token), retrying transport errors and 5xx/429 like a webhook.
    /// Throws the last transport error when no attempt got an answer, and on cancellation.
    func getJSON(_ path: String) async throws -> JSONAnswer {
        let request = PCAANet.HTTPRequest(method: "GET", url: baseURL + path, headers: opsHeaders, timeout: 20, connectTimeout: 5)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await http.send(request, maxResponseBytes: 16 << 20)
                if McubeRetryPolicy.isRetryable(status: response.status), attempt < retry.maxAttempts {
                    try await Task.sleep(for: .seconds(retry.delay(afterAttempt: attempt, retryAfter: response.header("Retry-After"))))
                    continue
                }
                return JSONAnswer(status: response.status, json: Self.object(response.body), text: Self.snippet(response.bodyString))
            } catch let error as HTTPClientError {
                try Task.checkCancellation()
                guard error.isTransient, attempt < retry.maxAttempts else { throw error }
                try await Task.sleep(for: .seconds(retry.delay(afterAttempt: attempt, retryAfter: nil)))
            }
        }
    }

    static func object(_ body: [UInt8]) -> [String: Any]? {
        guard !body.isEmpty else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// The first 300 characters of an answer, on one line.
    static func snippet(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}
