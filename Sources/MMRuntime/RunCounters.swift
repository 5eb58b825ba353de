import Synchronization

/// Counters of one run, shared by its concurrent tasks (API calls, throttling, bytes).
public final class RunCounters: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var apiCalls = 0
        public var retries = 0
        public var throttleWaits = 0
        public var throttleWaitSeconds = 0.0
        public var slowdowns = 0
        public var bytesReceived: Int64 = 0
        public var bytesArchived: Int64 = 0
        public var pages = 0
        public var rowsLoaded: Int64 = 0
        public var dataPoints = 0
    }
    private let state = Mutex(Snapshot())
    private let waitBudget: Duration
    private let seq = Mutex(0)

    public init(waitBudget: Duration) { self.waitBudget = waitBudget }

    public func update(_ f: (inout Snapshot) -> Void) { state.withLock { f(&$0) } }
    public var snapshot: Snapshot { state.withLock { $0 } }
    /// Wait time the run may still spend on throttling/backoff.
    public var budgetLeft: Duration {
        let used = state.withLock { $0.throttleWaitSeconds }
        return max(.zero, waitBudget - .milliseconds(Int(used * 1000)))
    }
    /// The next archive sequence number of this run.
    public func nextSeq() -> Int { seq.withLock { $0 += 1; return $0 } }
}
