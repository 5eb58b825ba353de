import Synchronization

/// A request to stop, shared by the signal handler and the run: once triggered, no new WABA or
/// slice starts; work in flight ends whole (a slice's load commits or rolls back as one
/// transaction) and the run is recorded `interrupted` with the reason (exit 75).
public final class Interruption: Sendable {
    private let state = Mutex<String?>(nil)

    public init() {}

    /// Records the first reason (e.g. `SIGTERM`); later calls keep it.
    public func trigger(_ reason: String) {
        state.withLock { if $0 == nil { $0 = reason } }
    }

    /// Why the run was asked to stop; nil while it was not.
    public var reason: String? { state.withLock { $0 } }
    public var isTriggered: Bool { reason != nil }
}
