import Foundation

/// Time as a port: the wall clock for timestamps, and sleeping for backoff.
/// Tests use a virtual clock that records sleeps and returns at once.
public protocol RuntimeClock: Sendable {
    /// The current instant.
    func now() -> Date
    /// Waits `duration` (or, in tests, records it and advances virtual time).
    func sleep(for duration: Duration) async throws
}
