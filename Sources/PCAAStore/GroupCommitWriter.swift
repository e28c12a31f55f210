import Foundation
import GRDB
import Synchronization

/// Group commit: concurrent writes that arrive while a transaction is being committed are run together in the
/// next transaction, each in its own savepoint (one failing rolls back only itself), and every caller is answered
/// after that transaction commits. With `synchronous=FULL` many writes then share one fsync: the durability of one
/// commit per write at a fraction of the cost. The first waiting caller drains the batch; no background task.
public final class GroupCommitWriter: Sendable {
    private let writer: DatabasePool
    private let maxBatch: Int
    private let state = Mutex(State())

    private struct State {
        var pending: [Item] = []
        var draining = false
        var transactions = 0
        var writes = 0
    }

    /// Transactions committed and writes they carried so far: writes / transactions is the mean batch size.
    public var statistics: (transactions: Int, writes: Int) {
        state.withLock { ($0.transactions, $0.writes) }
    }

    /// One write waiting to be committed; resolved once its batch committed or failed.
    private final class Item: Sendable {
        let run: @Sendable (Database) throws -> Void
        let fail: @Sendable (any Error) -> Void
        private let completion = Mutex<Completion>(.pending)

        enum Completion {
            case pending
            case waiting(CheckedContinuation<Void, Never>)
            case done
        }

        init(run: @escaping @Sendable (Database) throws -> Void, fail: @escaping @Sendable (any Error) -> Void) {
            self.run = run
            self.fail = fail
        }

        func finish() {
            let waiter: CheckedContinuation<Void, Never>? = completion.withLock { state in
                defer { state = .done }
                if case .waiting(let continuation) = state { return continuation }
                return nil
            }
            waiter?.resume()
        }

        func wait() async {
            await withCheckedContinuation { continuation in
                let alreadyDone = completion.withLock { state -> Bool in
                    if case .done = state { return true }
                    state = .waiting(continuation)
                    return false
                }
                if alreadyDone { continuation.resume() }
            }
        }
    }

    public init(writer: DatabasePool, maxBatch: Int = 256) {
        self.writer = writer
        self.maxBatch = maxBatch
    }

    /// Runs `body` in a transaction shared with other concurrent writes and returns its result after the commit.
    /// Errors thrown by `body` roll back only its own savepoint; a failed commit fails every write of the batch.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let item = Item(
            run: { db in
                let value = try body(db)
                result.withLock { $0 = .success(value) }
            },
            fail: { error in result.withLock { $0 = .failure(error) } }
        )
        let lead = state.withLock { state -> Bool in
            state.pending.append(item)
            if state.draining { return false }
            state.draining = true
            return true
        }
        if lead { await drain() }
        await item.wait()
        guard let outcome = result.withLock({ $0 }) else { throw CancellationError() }
        return try outcome.get()
    }

    /// Commits batches until none is pending.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Item] in
                let batch = Array(state.pending.prefix(maxBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false } else {
                    state.transactions += 1
                    state.writes += batch.count
                }
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    /// Runs the batch in one transaction on GRDB's writer queue (not on a cooperative thread, which a blocking
    /// fsync would starve) through the callback API, which does not observe task cancellation: a cancelled leader
    /// still commits everyone's writes.
    private func commit(_ batch: [Item]) async {
        let outcome: Result<Void, any Error> = await withCheckedContinuation { continuation in
            writer.asyncWrite({ db in
                for item in batch {
                    do {
                        try db.inSavepoint {
                            try item.run(db)
                            return .commit
                        }
                    } catch {
                        item.fail(error)
                    }
                }
            }, completion: { _, result in
                continuation.resume(returning: result)
            })
        }
        if case .failure(let error) = outcome {
            for item in batch { item.fail(error) }
        }
        for item in batch { item.finish() }
    }
}
