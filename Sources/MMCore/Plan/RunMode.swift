/// What a run is. Every difference between the nightly job and a backfill is decided by
/// `SlicePlanner` from this value; the engine only executes the plan.
public enum RunMode: Sendable, Hashable {
    /// The nightly job. `asOf` nil: today in each WABA's own timezone.
    case nightly(asOf: Day?)
    /// A backfill of a closed range, in ledger chunks.
    case backfill(BackfillRange)

    /// The `as_of` recorded in `etl.runs`.
    public var asOfText: String? {
        switch self {
        case .nightly(let a): return a?.description
        case .backfill(let r): return r.to.description
        }
    }

    /// The WABAs a backfill names (empty: every configured or discovered WABA).
    public var onlyWABAs: [String] {
        if case .backfill(let r) = self { return r.wabas }
        return []
    }
}

/// A backfill's range and scope; the same values resume the same backfill (its ledger key).
public struct BackfillRange: Sendable, Hashable {
    public var from: Day
    public var to: Day
    /// Empty: every WABA.
    public var wabas: [String]
    /// Empty: every configured dataset.
    public var datasets: [String]
    public var chunkDays: Int

    public init(from: Day, to: Day, wabas: [String], datasets: [String], chunkDays: Int) {
        self.from = from; self.to = to; self.wabas = wabas; self.datasets = datasets; self.chunkDays = chunkDays
    }

    public func key(pipeline: String) -> String {
        BackfillKey.make(pipeline: pipeline, from: from, to: to, wabas: wabas, datasets: datasets, chunkDays: chunkDays)
    }
}

extension RunMode {
    /// `.backfill(BackfillRange(…))`, spelled as the command line reads.
    public static func backfill(from: Day, to: Day, wabas: [String], datasets: [String], chunkDays: Int) -> RunMode {
        .backfill(BackfillRange(from: from, to: to, wabas: wabas, datasets: datasets, chunkDays: chunkDays))
    }
}
