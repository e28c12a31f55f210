import Foundation

/// Runs blocking libcurl work on a dedicated thread, never on Swift's cooperative pool.
enum CurlThread {
    /// Runs `work` on a new thread and resumes the caller with its result.
    /// Task cancellation sets the flag passed to `work`, which aborts the transfer.
    static func run<T: Sendable>(
        _ work: @escaping @Sendable (CancellationFlag) throws -> T
    ) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { try work(flag) })
                }
                thread.name = "pcaa-curl"
                thread.start()
            }
        } onCancel: {
            flag.cancel()
        }
    }
}
