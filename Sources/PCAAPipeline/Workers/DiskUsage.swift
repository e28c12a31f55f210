import Foundation

/// How full the filesystem holding a path is (seed §10.2: "DB disk usage > 80%").
public enum DiskUsage {
    /// Used share of the filesystem, 0–100, as `df` counts it (blocks available to unprivileged users); nil when
    /// the path cannot be examined.
    public static func usedPercent(path: String) -> Double? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0, stats.f_blocks > 0 else { return nil }
        let total = Double(stats.f_blocks)
        let free = Double(stats.f_bfree)
        let available = Double(stats.f_bavail)
        let used = total - free
        let usable = used + available
        return usable > 0 ? used / usable * 100 : nil
    }
}
