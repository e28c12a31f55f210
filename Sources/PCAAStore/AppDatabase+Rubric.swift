import Foundation
import GRDB
import PCAACore

extension AppDatabase {
    /// A BID's rubric rows in order, disabled ones included.
    public func qualityParameters(bid: String) async throws -> [QualityParameter] {
        try await writer.read { db in try QualityParameter.filter(Column("bid") == bid).order(Column("position"), Column("id")).fetchAll(db) }
    }

    /// Inserts or updates one rubric item (matched by BID and name, case-insensitively); a new item goes last.
    public func saveQualityParameter(bid: String, name: String, edit: @Sendable (inout QualityParameter) -> Void) async throws -> (QualityParameter, created: Bool) {
        try await writer.write { db in
            let now = Date()
            let existing = try QualityParameter.fetchOne(db, sql: "SELECT * FROM quality_parameters WHERE bid = ? AND name = ? COLLATE NOCASE",
                                                         arguments: [bid, name])
            let position = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM quality_parameters WHERE bid = ?", arguments: [bid]) ?? -1) + 1
            var row = existing ?? QualityParameter(
                id: nil, bid: bid, name: name, description: name, weight: 0, cuePhrases: "[]", autoFail: false, kind: RubricItemKind.expected.rawValue,
                speaker: SpeakerRole.agent.rawValue, window: RubricWindow.anywhere.rawValue, position: position, enabled: true, createdAt: now,
                updatedAt: now)
            edit(&row)
            row.updatedAt = now
            try row.save(db)
            return (row, existing == nil)
        }
    }

    /// Replaces the BID's rubric with a quality template (seed §2.7) and records the template in `bid_config`.
    public func applyQualityTemplate(bid: String, template: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM quality_parameters WHERE bid = ?", arguments: [bid])
            try Self.insertTemplate(db, bid: bid, template: template, now: Date())
            try db.execute(sql: "UPDATE bid_config SET quality_template = ?, updated_at = ? WHERE bid = ?",
                           arguments: [template, DatabaseTimestamp(Date()), bid])
        }
    }

    /// Sets the BID's pass mark (0–100).
    public func setPassThreshold(bid: String, _ threshold: Double) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE bid_config SET pass_threshold = ?, updated_at = ? WHERE bid = ?",
                           arguments: [threshold, DatabaseTimestamp(Date()), bid])
        }
    }
}
