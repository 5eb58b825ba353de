/// Plans a WABA's slices for a run. Pure: the same inputs give the same plan, which `run`,
/// `backfill` and their `--dry-run` all use.
///
/// - Nightly: per dataset, the window from the watermark minus the settle days (or `start_date`,
///   else settle days back, on a first run) to the as-of date, clamped to the API's retention;
///   the load advances the watermark. Nothing is planned for a dataset that is up to date.
/// - Backfill: per requested dataset, chunks of `chunk_days` over the range; each load completes
///   its ledger chunk, and chunks an earlier run of the same backfill completed are skipped.
/// - Both: the catalog is read once, first, as of the WABA's today (its ids feed the template
///   batches; it is never a backfill ledger chunk; the nightly run records its day as its watermark). Template analytics of a WABA
///   whose insights are disabled are planned as skipped. Rows before as-of minus settle days are final.
public enum SlicePlanner {
    /// What the planner needs to know about one WABA.
    public struct WABAState: Sendable, Hashable {
        public var wabaID: String
        /// Today in the WABA's own timezone.
        public var localToday: Day
        /// nil: unknown (planned as enabled).
        public var insightsEnabled: Bool?
        public init(wabaID: String, localToday: Day, insightsEnabled: Bool? = nil) {
            self.wabaID = wabaID; self.localToday = localToday; self.insightsEnabled = insightsEnabled
        }
    }

    /// The ledger a plan starts from.
    public struct Ledger: Sendable {
        /// (WABA, dataset) → last loaded WABA-local date (nightly).
        public var watermarks: [WatermarkKey: String]
        /// Chunks of this backfill that earlier runs completed.
        public var completedChunks: Set<SliceIdentity>
        public init(watermarks: [WatermarkKey: String] = [:], completedChunks: Set<SliceIdentity> = []) {
            self.watermarks = watermarks; self.completedChunks = completedChunks
        }
    }

    /// What of the ledger a plan of `mode` starts from.
    public enum LedgerInput: Sendable, Equatable {
        /// The pipeline's watermarks (nightly).
        case watermarks
        /// The chunks completed under this backfill key (backfill: resume after them).
        case completedChunks(backfillKey: String)
    }

    public static func ledgerInput(_ config: PipelineConfig, mode: RunMode) -> LedgerInput {
        switch mode {
        case .nightly: return .watermarks
        case .backfill(let range): return .completedChunks(backfillKey: range.key(pipeline: config.name))
        }
    }

    public static func plan(_ config: PipelineConfig, mode: RunMode, waba: WABAState, ledger: Ledger) -> [PlannedSlice] {
        datasets(config, mode: mode).flatMap { dataset in
            slices(config, mode: mode, dataset: dataset, waba: waba, ledger: ledger)
        }
    }

    /// The datasets a run processes, in order: a backfill of templates also reads the catalog.
    public static func datasets(_ config: PipelineConfig, mode: RunMode) -> [Dataset] {
        let configured = Dataset.configured(config)
        guard case .backfill(let range) = mode, !range.datasets.isEmpty else { return configured }
        let only = Set(range.datasets)
        return configured.filter { only.contains($0.rawValue) || ($0 == .catalog && only.contains(Dataset.templates.rawValue)) }
    }

    private static func slices(_ config: PipelineConfig, mode: RunMode, dataset: Dataset, waba: WABAState, ledger: Ledger) -> [PlannedSlice] {
        let settle = config.settleDays(dataset.rawValue)
        let today = DayWindow(start: waba.localToday, end: waba.localToday)
        if dataset == .templates && waba.insightsEnabled == false {
            return [PlannedSlice(wabaID: waba.wabaID, dataset: dataset, window: today, completion: .none,
                                 finalBefore: waba.localToday - settle, skip: .insightsDisabled)]
        }
        switch mode {
        case .nightly(let asOfGiven):
            let asOf = asOfGiven ?? waba.localToday
            let watermark = ledger.watermarks[WatermarkKey(wabaID: waba.wabaID, dataset: dataset.rawValue)].flatMap(Day.init)
            guard let window = WindowPlanner.nightly(dataset: dataset.rawValue, watermark: watermark, startDate: config.startDate,
                                                     settleDays: settle, asOf: asOf) else { return [] }
            return [PlannedSlice(wabaID: waba.wabaID, dataset: dataset, window: window,
                                 completion: .advancesWatermark, finalBefore: asOf - settle)]
        case .backfill(let range):
            let finalBefore = waba.localToday - settle
            if dataset == .catalog {
                return [PlannedSlice(wabaID: waba.wabaID, dataset: dataset, window: today, completion: .none, finalBefore: finalBefore)]
            }
            let key = range.key(pipeline: config.name)
            return WindowPlanner.backfill(from: range.from, to: range.to, chunkDays: range.chunkDays).map { window in
                var slice = PlannedSlice(wabaID: waba.wabaID, dataset: dataset, window: window,
                                         completion: .completesChunk(backfillKey: key), finalBefore: finalBefore)
                if ledger.completedChunks.contains(slice.identity(pipeline: config.name)) { slice.skip = .chunkDone }
                return slice
            }
        }
    }
}
