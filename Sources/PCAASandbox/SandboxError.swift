/// Why a sandbox run could not be carried out at all (as opposed to problems it found, which go in the report).
public enum SandboxError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The options cannot produce a valid run (bad BID prefix, no calls, …).
    case invalidOptions(String)
    /// The recording server did not start.
    case recordingServerFailed(String)
    /// A BID could not be activated, so no call could be posted for it.
    case activationFailed(bid: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOptions(let message): "invalid sandbox options: \(message)"
        case .recordingServerFailed(let message): "recording server failed: \(message)"
        case .activationFailed(let bid, let reason): "could not activate BID \(bid): \(reason)"
        }
    }
}
