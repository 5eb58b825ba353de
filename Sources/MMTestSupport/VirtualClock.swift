import Foundation
import MMCore
import Synchronization

/// A clock for tests: `sleep` returns at once, advancing virtual time and recording the duration,
/// so retry and slowdown waits can be asserted without waiting for real.
public final class VirtualClock: RuntimeClock {
    private let state: Mutex<(now: Date, sleeps: [Duration])>

    public init(start: Date = Date()) { state = Mutex((start, [])) }

    public func now() -> Date { state.withLock { $0.now } }

    public func sleep(for duration: Duration) async throws {
        state.withLock {
            $0.sleeps.append(duration)
            let c = duration.components
            $0.now += Double(c.seconds) + Double(c.attoseconds) / 1e18
        }
    }

    /// Every sleep requested so far, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }
}
