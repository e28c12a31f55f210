import Foundation
import PCAACore
import PCAAHTTP
import PCAANet

/// `pcaa bench ingest`: signed `call-completed` webhooks over loopback HTTP from N concurrent clients into the
/// real daemon (workers off, so only ingest is measured): peak requests/s, then latency at half the peak rate.
public struct IngestBench: Sendable {
    public var clients: Int
    public var seconds: Double
    public var synchronous: String

    public init(clients: Int = 16, seconds: Double = 5, synchronous: String = "full") {
        self.clients = clients
        self.seconds = seconds
        self.synchronous = synchronous
    }

    /// One measured phase.
    public struct Phase: Sendable {
        public var name: String
        public var requests: Int
        public var failures: Int
        public var perSecond: Double
        public var p50: Double?
        public var p99: Double?
    }

    public func run() async throws -> [Phase] {
        let directory = try BenchDirectory()
        defer { directory.remove() }
        let daemon = try await BenchDaemon.start(BenchDaemon.config(dataDir: directory.path, synchronous: synchronous, workers: 0))
        let client = CurlHTTPClient(userAgent: "pcaa-bench")
        var secrets: [String] = []
        for index in 1...5 {
            let body = Array(#"{"event":"pcaa.activated","bid":"bench\#(index)","plan":"standard"}"#.utf8)
            let response = try await client.send(HTTPRequest(
                method: "POST", url: daemon.baseURL + "/webhook/bid-activated",
                headers: [(WebhookSignature.headerName, WebhookSignature.sign(body: body, secret: daemon.environment.platformSecret))],
                body: body))
            guard let secret = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["webhook_secret"] as? String else {
                throw BenchError("activation failed: HTTP \(response.status)")
            }
            secrets.append(secret)
        }
        let peak = try await phase(name: "peak (closed loop)", daemon: daemon, secrets: secrets, tag: "p", rate: nil)
        let half = try await phase(name: "half peak (paced)", daemon: daemon, secrets: secrets, tag: "h", rate: peak.perSecond / 2)
        await daemon.stop()
        return [peak, half]
    }

    /// Each client posts signed webhooks back to back (`rate` nil) or paced so all clients together send `rate`/s.
    private func phase(name: String, daemon: RunningDaemon, secrets: [String], tag: String, rate: Double?) async throws -> Phase {
        let url = daemon.baseURL + "/webhook/call-completed"
        let clients = self.clients
        let duration = Duration.milliseconds(Int(seconds * 1000))
        let start = ContinuousClock.now
        let results = await withTaskGroup(of: ([Double], Int).self) { group in
            for lane in 0..<clients {
                group.addTask {
                    let client = CurlHTTPClient(userAgent: "pcaa-bench")
                    var latencies: [Double] = []
                    var failures = 0
                    var sequence = 0
                    let interval = rate.map { Duration.milliseconds(Int(1000 * Double(clients) / max($0, 1))) }
                    var next = start + .milliseconds(lane * 3)
                    while ContinuousClock.now - start < duration {
                        if let interval {
                            try? await Task.sleep(until: next, clock: .continuous)
                            next += interval
                        }
                        sequence += 1
                        let bidIndex = (lane + sequence) % secrets.count
                        let body = Array(Self.payload(bid: "bench\(bidIndex + 1)", callid: "\(tag)\(lane)x\(sequence)").utf8)
                        let request = HTTPRequest(
                            method: "POST", url: url,
                            headers: [("Content-Type", "application/json"),
                                      (WebhookSignature.headerName, WebhookSignature.sign(body: body, secret: secrets[bidIndex]))],
                            body: body)
                        let sent = ContinuousClock.now
                        let ok = (try? await client.send(request))?.status == 200
                        latencies.append(Elapsed.seconds(since: sent))
                        if !ok { failures += 1 }
                    }
                    return (latencies, failures)
                }
            }
            return await group.reduce(into: ([Double](), 0)) { $0.0 += $1.0; $0.1 += $1.1 }
        }
        let elapsed = Elapsed.seconds(since: start)
        return Phase(name: name, requests: results.0.count, failures: results.1, perSecond: Double(results.0.count) / elapsed,
                     p50: Percentile.nearestRank(results.0, 50), p99: Percentile.nearestRank(results.0, 99))
    }

    static func payload(bid: String, callid: String) -> String {
        #"{"event":"call.completed","bid":"\#(bid)","callid":"\#(callid)","agent_name":"Richa vishwakarma","agent_id":"emp_123","agent_email":"richa@company.com","agent_phone":"9876543210","customer_phone":"9123456780","call_starttime":"2026-03-11T12:33:40Z","call_endtime":"2026-03-11T12:50:36Z","duration_seconds":1016,"call_status":"ANSWER","direction":"outbound","recording_url":"https://recordings.mcube.com/x/\#(callid).wav","group_name":"Presales Team"}"#
    }

    public func table(_ phases: [Phase], floor: Double) -> BenchTable {
        var table = BenchTable(title: "bench ingest (\(clients) clients, \(Int(seconds)) s per phase, synchronous=\(synchronous))",
                               columns: ["phase", "requests", "failed", "req/s", "p50 ms", "p99 ms", "ratio to floor"])
        for phase in phases {
            table.add([phase.name, "\(phase.requests)", "\(phase.failures)", Figure.rate(phase.perSecond), Figure.ms(phase.p50),
                       Figure.ms(phase.p99), Figure.ratio(phase.perSecond, floor: floor)])
        }
        return table
    }
}

/// A benchmark that could not run.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
