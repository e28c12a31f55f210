import Foundation
import PCAASandbox

/// The sandbox's recording server (synthetic WAV per call id) running on loopback for the length of a test.
final class TestRecordings: Sendable {
    let baseURL: String
    private let runner: Task<Void, any Error>
    private let stopSignal: AsyncStream<Void>.Continuation

    static func start() async throws -> TestRecordings {
        let (urls, urlContinuation) = AsyncStream<String>.makeStream()
        let (stop, stopContinuation) = AsyncStream<Void>.makeStream()
        let runner = Task {
            try await RecordingServer().withRunning { baseURL in
                urlContinuation.yield(baseURL)
                urlContinuation.finish()
                for await _ in stop {}
            }
        }
        var iterator = urls.makeAsyncIterator()
        guard let baseURL = await iterator.next() else { throw TestFailure("recording server did not start") }
        return TestRecordings(baseURL: baseURL, runner: runner, stopSignal: stopContinuation)
    }

    private init(baseURL: String, runner: Task<Void, any Error>, stopSignal: AsyncStream<Void>.Continuation) {
        self.baseURL = baseURL
        self.runner = runner
        self.stopSignal = stopSignal
    }

    /// The recording URL Mcube would send for `callid`.
    func url(_ callid: String) -> String { "\(baseURL)/recordings/\(callid).wav" }

    func stop() async {
        stopSignal.finish()
        _ = try? await runner.value
    }
}
