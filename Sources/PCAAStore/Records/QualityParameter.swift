import Foundation
import GRDB
import PCAACore

/// One rubric item of a BID (seed `quality_parameters`).
public struct QualityParameter: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "quality_parameters"

    public var id: Int64?
    public var bid: String
    public var name: String
    public var description: String
    public var weight: Int
    /// JSON array of cue phrases.
    public var cuePhrases: String
    public var autoFail: Bool
    /// `expected` or `prohibited` (``RubricItemKind``).
    public var kind: String
    /// `agent`, `customer`, or nil for anyone.
    public var speaker: String?
    /// `anywhere`, `opening` or `closing` (``RubricWindow``).
    public var window: String
    public var position: Int
    public var enabled: Bool
    public var createdAt: Date
    public var updatedAt: Date


    /// The analyzer's view of this row.
    public var rubricItem: RubricItem {
        let cues = (try? JSONDecoder().decode([String].self, from: Data(cuePhrases.utf8))) ?? []
        return RubricItem(
            name: name, description: description, weight: weight, cuePhrases: cues, autoFail: autoFail,
            kind: RubricItemKind(rawValue: kind) ?? .expected, speaker: speaker.flatMap(SpeakerRole.init(rawValue:)),
            window: RubricWindow(rawValue: window) ?? .anywhere)
    }
}
