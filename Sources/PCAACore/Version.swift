/// The version printed by `pcaa --version` and sent as the User-Agent.
public enum PCAAVersion {
    public static let current = "0.1.0"
}
