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

/// Temporary files that hold sensitive input (standard input of `sendlog load -` holds phone
/// numbers). Each is removed by its owner when done, and by `removeAll` when the process is
/// stopped by a signal, so none is left behind.
public final class TemporaryFiles: Sendable {
    public static let shared = TemporaryFiles()
    private let paths = Mutex<Set<String>>([])

    public func register(_ path: String) { paths.withLock { _ = $0.insert(path) } }
    public func unregister(_ path: String) { paths.withLock { _ = $0.remove(path) } }

    /// Unlinks every registered file (async-signal context is not needed: called from a Dispatch queue).
    public func removeAll() {
        let all = paths.withLock { p -> Set<String> in let copy = p; p.removeAll(); return copy }
        for path in all { unlink(path) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
