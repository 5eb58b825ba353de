import Foundation
import MMCore

/// The real clock: wall time and `Task.sleep` on the continuous clock.
public struct SystemClock: RuntimeClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
