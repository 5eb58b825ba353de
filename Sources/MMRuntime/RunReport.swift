import MMCore

/// What a command did: the verdict, the counters and each slice's outcome.
public struct RunReport: Sendable {
    public var runID: Int64
    public var verdict: RunVerdict
    public var counters: RunCounters.Snapshot
    public var loaded: [SliceSuccess] = []
    public var failed: [SliceFailure] = []
    public var diagnostics: [Diagnostic] = []
    public var transformSeconds: [String: Double] = [:]
    public var skipped: [SliceIdentity] = []
    /// Why the run stopped early (`SIGTERM`, …); nil when it ran to the end.
    public var interruptedBy: String?
    /// `K/N` when the run was one shard (its transforms are left to `mmetl transform`).
    public var shard: String?

    public init(runID: Int64, verdict: RunVerdict, counters: RunCounters.Snapshot) {
        self.runID = runID; self.verdict = verdict; self.counters = counters
    }

    /// Totals over the loaded slices.
    public var totals: LoadStats { loaded.reduce(into: LoadStats()) { $0.add($1.stats) } }

    /// The WABA-local days the loaded fact slices cover (the catalog has none): what transforms redo.
    public var loadedDays: DayWindow? {
        let windows = loaded.filter { $0.slice.dataset != DatasetName.catalog }
            .compactMap { s in Day(s.slice.windowStart).flatMap { a in Day(s.slice.windowEnd).map { DayWindow(start: a, end: $0) } } }
        guard let first = windows.first else { return nil }
        return windows.dropFirst().reduce(first) { DayWindow(start: min($0.start, $1.start), end: max($0.end, $1.end)) }
    }

    /// The verdict of the slices' outcomes (skipped slices count as done).
    public var slicesVerdict: RunVerdict {
        RunVerdict.of(succeeded: loaded.count + skipped.count, failures: failed.map(\.failureClass))
    }
}

/// A slice that loaded, with what its load did.
public struct SliceSuccess: Sendable {
    public var slice: SliceIdentity
    public var stats: LoadStats
    public init(slice: SliceIdentity, stats: LoadStats) { self.slice = slice; self.stats = stats }
}

/// A slice that failed: the error as logged (never a secret) and its class.
public struct SliceFailure: Sendable, CustomStringConvertible {
    public var slice: SliceIdentity
    public var error: String
    public var failureClass: FailureClass
    public init(slice: SliceIdentity, error: String, failureClass: FailureClass) {
        self.slice = slice; self.error = error; self.failureClass = failureClass
    }
    public var description: String { "\(slice): \(error)" }
}

/// Merges diagnostics of the same kind/subject/value, adding counts.
func mergeDiagnostics(_ ds: [Diagnostic]) -> [Diagnostic] {
    var order: [String] = []
    var byKey: [String: Diagnostic] = [:]
    for d in ds {
        let k = "\(d.kind.rawValue)|\(d.subject)|\(d.value)"
        if var e = byKey[k] { e.count += d.count; byKey[k] = e } else { byKey[k] = d; order.append(k) }
    }
    return order.map { byKey[$0]! }
}
