import Foundation
import GRDB
import PCAACore
import PCAAStore
import Testing

/// A BID's rubric is editable after activation, and the next analysed call is scored against the edited rubric.
@Suite("RubricEditing") struct RubricEditingTests {
    @Test func editedRubricAndPassMarkDriveTheNextAnalysis() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        let secret = try await daemon.activate("6004")
        let database = daemon.database

        // The support template instead of presales; a new prohibited auto-fail item the scripted agent will say;
        // an existing item disabled (matched case-insensitively); a lower pass mark.
        try await database.applyQualityTemplate(bid: "6004", template: "support")
        let (added, created) = try await database.saveQualityParameter(bid: "6004", name: "No brand pitch") { row in
            row.description = "Agent must not pitch the brand name"
            row.weight = 5
            row.kind = RubricItemKind.prohibited.rawValue
            row.cuePhrases = #"["calling from mcube"]"#
            row.autoFail = true
        }
        #expect(created && added.position == QualityTemplates.template(named: "support").count)
        let firstName = try #require(QualityTemplates.template(named: "support").first?.name)
        let (disabled, _) = try await database.saveQualityParameter(bid: "6004", name: firstName.uppercased()) { $0.enabled = false }
        #expect(disabled.name == firstName && disabled.enabled == false)
        try await database.setPassThreshold(bid: "6004", 10)

        #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: "99001", recordingURL: recordings.url("99001")), secret: secret).status == 200)
        #expect(await eventually { (try? await daemon.callState("6004", "99001")) == .notified })
        let analysis = try #require(try await database.callDetail(bid: "6004", callid: "99001")?.analysis?.decoded())
        let names = analysis.parameters.map(\.name)
        #expect(!names.contains(firstName), "a disabled item is not scored")
        #expect(names.last == "No brand pitch" && names.count == QualityTemplates.template(named: "support").count)
        #expect(analysis.autoFailures == ["No brand pitch"] && analysis.passed == false, "the prohibited phrase fails the call even under a low pass mark")
        let config = try #require(try await database.bidConfig(bid: "6004"))
        #expect(config.qualityTemplate == "support" && config.passThreshold == 10)
    }
}
