import MMCore

/// What a command did: the verdict, the counters and each slice's outcome.
public struct RunReport: Sendable {
    public var runID: Int64
    public var verdict: RunVerdict
    public var counters: RunCounters.Snapshot
    public var loaded: [(SliceIdentity, LoadStats)] = []
    public var failed: [(SliceIdentity, String, FailureClass)] = []
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
    public var totals: LoadStats { loaded.reduce(into: LoadStats()) { $0.add($1.1) } }
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
