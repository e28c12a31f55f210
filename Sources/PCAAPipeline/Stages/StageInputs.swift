import GRDB
import PCAACore
import PCAAStore

/// Reads what a stage needs about a call, refusing jobs whose call or config vanished.
enum StageInputs {
    static func call(_ database: AppDatabase, job: Job) async throws -> (Call, BidConfig) {
        let found = try await database.writer.read { db -> (Call?, BidConfig?) in
            (try Call.filter(Column("bid") == job.bid && Column("callid") == job.callid).fetchOne(db),
             try BidConfig.filter(Column("bid") == job.bid).fetchOne(db))
        }
        guard let call = found.0, call.id != nil else {
            throw StageError.permanent("call_missing", "call \(job.bid)/\(job.callid) is not in the database")
        }
        guard let config = found.1 else {
            throw StageError.permanent("bid_config_missing", "BID \(job.bid) has no bid_config row")
        }
        return (call, config)
    }
}
