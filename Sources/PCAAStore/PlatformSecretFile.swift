import Foundation
import PCAACore

/// The platform webhook secret: from the config or `PCAA_PLATFORM_SECRET`, else generated once into
/// `<data>/platform_secret` (mode 0600) so a fresh install is never open to unsigned activations.
public enum PlatformSecretFile {
    public static func path(dataDir: String) -> String { dataDir + "/platform_secret" }

    /// The configured secret, or the generated one (created on first use).
    public static func resolve(configured: String, dataDir: String) throws -> String {
        if !configured.isEmpty { return configured }
        let file = path(dataDir: dataDir)
        if let existing = try? String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           existing.utf8.count >= 16 {
            return existing
        }
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let secret = SecretGenerator.webhookSecret()
        guard FileManager.default.createFile(atPath: file, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file])
        }
        return secret
    }
}
