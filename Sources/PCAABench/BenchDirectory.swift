import Foundation

/// A scratch data directory for one benchmark run, removed afterwards unless kept.
struct BenchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pcaa-bench-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
