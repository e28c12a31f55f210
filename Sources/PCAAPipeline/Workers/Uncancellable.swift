/// Runs a short database write to completion even when the calling task is cancelled (GRDB's async `write`
/// throws `CancellationError` in a cancelled task). Used only to settle a job's outcome; awaited at once.
enum Uncancellable {
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task.detached(operation: operation).value
    }
}
