import Foundation

/// A thread-safe flag set when the awaiting Swift task is cancelled; polled by curl's progress callback.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// Marks the transfer as cancelled.
    func cancel() {
        lock.withLock { cancelled = true }
    }

    /// Whether ``cancel()`` was called.
    var isCancelled: Bool {
        lock.withLock { cancelled }
    }
}
