import Foundation
import PCAACore
import PCAAPipeline
import Testing

@Suite struct DoctorTests {
    @Test func reportsAMissingSpeechHelperAsAFailureWhenItIsTheDefault() {
        var config = TestDaemon.testConfig()
        config.defaults.sttProvider = "local"
        config.stt.localPython = "/nonexistent/python3"
        let checks = Doctor.run(config: config)
        #expect(checks.first { $0.name == "local speech helper" }?.level == .failure)
        #expect(checks.first { $0.name == "data directory" }?.level == .ok)
        #expect(checks.first { $0.name == "database integrity" }?.level == .ok)
    }

    @Test func anUnwritableDataDirectoryFails() {
        var config = TestDaemon.testConfig()
        config.storage.dataDir = "/proc/pcaa-cannot-write-here"
        #expect(Doctor.run(config: config).first { $0.name == "data directory" }?.level == .failure)
    }
}
