import GRDB
import PCAACore
import PCAAStore

/// The database writes a stage's result needs; applied in the same transaction that completes the job,
/// moves the call to its next state and enqueues the next stage.
public struct StageCommit: Sendable {
    public let apply: @Sendable (Database) throws -> Void
    /// A short note for the processing log and the JSON log line (e.g. `segments=12`).
    public let note: String?
    /// Clean-up that must only happen once the result is committed (e.g. deleting the downloaded recording).
    public let afterCommit: @Sendable () -> Void

    public init(
        note: String? = nil, apply: @escaping @Sendable (Database) throws -> Void = { _ in }, afterCommit: @escaping @Sendable () -> Void = {}
    ) {
        self.apply = apply
        self.note = note
        self.afterCommit = afterCommit
    }
}

/// The work of one stage for one job: everything outside the database (downloads, providers, deliveries).
/// Throws `StageError` to say whether a retry can help; any other error counts as transient.
public protocol StageProcessor: Sendable {
    var stage: Stage { get }
    func process(_ job: Job) async throws -> StageCommit
}
