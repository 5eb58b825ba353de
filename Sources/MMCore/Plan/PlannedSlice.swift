/// One slice a run will execute: a dataset of one WABA over one window, and what its successful
/// load records in the same transaction. A value: the engine executes it, `--dry-run` prints it.
public struct PlannedSlice: Sendable, Hashable, CustomStringConvertible {
    /// What the slice's load writes beside its rows.
    public enum Completion: Sendable, Hashable {
        /// Nightly: the watermark moves (forward only) to the window end.
        case advancesWatermark
        /// Backfill: this ledger chunk of the backfill is marked done.
        case completesChunk(backfillKey: String)
        /// Neither (the catalog of a backfill, a skipped slice).
        case none
    }

    /// Why a planned slice does not run.
    public enum Skip: String, Sendable, Hashable {
        /// A backfill chunk an earlier run of the same backfill completed.
        case chunkDone = "chunk done"
        /// Template analytics are not enabled for the WABA (`is_enabled_for_insights=false`).
        case insightsDisabled = "template analytics not enabled"
    }

    public var wabaID: String
    public var dataset: Dataset
    public var window: DayWindow
    public var completion: Completion
    /// Days strictly before this WABA-local date are final (`is_final`): as-of minus settle days.
    public var finalBefore: Day
    public var skip: Skip?

    public init(wabaID: String, dataset: Dataset, window: DayWindow, completion: Completion, finalBefore: Day, skip: Skip? = nil) {
        self.wabaID = wabaID; self.dataset = dataset; self.window = window; self.completion = completion
        self.finalBefore = finalBefore; self.skip = skip
    }

    public func identity(pipeline: String) -> SliceIdentity {
        SliceIdentity(pipeline: pipeline, wabaID: wabaID, dataset: dataset.rawValue,
                      windowStart: window.start.description, windowEnd: window.end.description)
    }

    /// The watermark the load writes, if any.
    public var watermark: Day? { completion == .advancesWatermark ? window.end : nil }
    /// The backfill ledger key the load completes, if any.
    public var backfillKey: String? {
        if case .completesChunk(let key) = completion { return key }
        return nil
    }

    public var description: String {
        "\(dataset) waba=\(wabaID) \(window)" + (skip.map { " (skipped: \($0.rawValue))" } ?? "")
    }
}
