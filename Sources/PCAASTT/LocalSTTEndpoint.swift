/// Where the local speech helper currently answers, or why it does not: shared between its supervisor and the
/// `local` engine, which asks it on every call.
public actor LocalSTTEndpoint {
    /// The helper's state as the engine sees it.
    public enum State: Sendable, Equatable {
        /// Not installed or misconfigured: calls fail permanently with this reason.
        case unavailable(String)
        /// Starting or restarting: calls fail transiently and are retried.
        case starting
        case ready(baseURL: String)
    }

    public private(set) var state: State

    public init(state: State = .starting) { self.state = state }

    public func set(_ state: State) { self.state = state }
}
