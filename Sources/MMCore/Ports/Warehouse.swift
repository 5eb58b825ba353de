import Foundation

/// Identity of one slice: the unit of loading, locking and the ledger (WABA × dataset × window).
public struct SliceIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var pipeline: String
    public var wabaID: String
    /// `pricing`, `templates` or `catalog`.
    public var dataset: String
    /// Inclusive WABA-local dates `YYYY-MM-DD`.
    public var windowStart: String
    public var windowEnd: String
    public init(pipeline: String, wabaID: String, dataset: String, windowStart: String, windowEnd: String) {
        self.pipeline = pipeline; self.wabaID = wabaID; self.dataset = dataset
        self.windowStart = windowStart; self.windowEnd = windowEnd
    }
    public var description: String { "\(dataset) waba=\(wabaID) \(windowStart)…\(windowEnd)" }
    /// Key of the (WABA, dataset) advisory lock: slices of the same WABA and dataset never load concurrently.
    public var lockName: String { "mmetl.slice:\(wabaID):\(dataset)" }
}

/// A manifest row for `etl.raw_pages`.
public struct RawPageRecord: Sendable, Hashable {
    public var runID: Int64
    public var dataset: String
    public var wabaID: String
    public var windowStart: String
    public var windowEnd: String
    public var page: Int
    public var archived: ArchivedPage
    public var httpStatus: Int
    public var fetchedAt: Date
    /// The fetch (`etl.fetches`) the page belongs to; nil for pages outside any slice fetch
    /// (discovery, WABA fields) and for rows written before fetches were recorded.
    public var fetchID: Int64?
    public init(runID: Int64, dataset: String, wabaID: String, windowStart: String, windowEnd: String, page: Int,
                archived: ArchivedPage, httpStatus: Int, fetchedAt: Date, fetchID: Int64? = nil) {
        self.runID = runID; self.dataset = dataset; self.wabaID = wabaID; self.windowStart = windowStart
        self.windowEnd = windowEnd; self.page = page; self.archived = archived; self.httpStatus = httpStatus; self.fetchedAt = fetchedAt
        self.fetchID = fetchID
    }
}

/// Everything needed to load one slice in one transaction.
public struct SliceLoad: Sendable {
    public var slice: SliceIdentity
    public var runID: Int64
    /// The slice's rows, page by page; read once, inside the load transaction (`SliceRowSource`).
    public var rows: any SliceRowSource
    /// Days strictly before this WABA-local date are final (`is_final = true`): as-of minus settle_days.
    public var finalBefore: String
    /// For the nightly run only: the watermark to write in the same transaction (the window end).
    public var advanceWatermarkTo: String?
    /// For a backfill: the ledger key and chunk to mark done in the same transaction.
    public var backfillKey: String?
    /// Ledger counters for `etl.run_items`.
    public var apiCalls: Int
    public var pages: Int
    public var attempts: Int
    public var startedAt: Date
    public var fetchedAt: Date

    public init(slice: SliceIdentity, runID: Int64, rows: any SliceRowSource, finalBefore: String, advanceWatermarkTo: String?,
                backfillKey: String?, apiCalls: Int, pages: Int, attempts: Int, startedAt: Date, fetchedAt: Date) {
        self.slice = slice; self.runID = runID; self.rows = rows; self.finalBefore = finalBefore
        self.advanceWatermarkTo = advanceWatermarkTo; self.backfillKey = backfillKey; self.apiCalls = apiCalls
        self.pages = pages; self.attempts = attempts; self.startedAt = startedAt; self.fetchedAt = fetchedAt
    }
}

/// What a slice load did, per table and in total (goes to `etl.run_items`).
public struct LoadStats: Sendable, Hashable, Codable {
    public var inserted: Int64 = 0
    public var updated: Int64 = 0
    public var unchanged: Int64 = 0
    public var revisions: Int64 = 0
    public var bytesCopied: Int64 = 0
    public var rowsCopied: Int64 = 0
    public var seconds: Double = 0
    /// Rows the source produced (before deduplication), catalog rows included.
    public var rowsNormalized: Int64 = 0
    /// Data points the source read from its raw pages.
    public var dataPoints: Int64 = 0
    /// The source's diagnostics, in page order.
    public var diagnostics: [Diagnostic] = []
    public init() {}
    public mutating func add(_ o: LoadStats) {
        inserted += o.inserted; updated += o.updated; unchanged += o.unchanged; revisions += o.revisions
        bytesCopied += o.bytesCopied; rowsCopied += o.rowsCopied; seconds += o.seconds
        rowsNormalized += o.rowsNormalized; dataPoints += o.dataPoints; diagnostics += o.diagnostics
    }
}

/// The start of a run, for `etl.runs`.
public struct RunStart: Sendable {
    public var pipeline: String
    public var command: String
    /// The command's arguments as JSON text (never a secret).
    public var argsJSON: String
    public var asOf: String?
    public var startedAt: Date
    /// `K/N` when the run is one shard of a sharded run (`etl.runs.shard`), else nil.
    public var shard: String?
    public init(pipeline: String, command: String, argsJSON: String, asOf: String?, startedAt: Date, shard: String? = nil) {
        self.pipeline = pipeline; self.command = command; self.argsJSON = argsJSON; self.asOf = asOf; self.startedAt = startedAt
        self.shard = shard
    }
}

/// The end of a run, for `etl.runs`.
public struct RunOutcome: Sendable {
    /// `succeeded`, `partial` or `failed`.
    public var status: String
    public var exitCode: Int32
    public var apiCalls: Int
    public var throttleWaits: Int
    public var throttleWaitSeconds: Double
    public var bytesArchived: Int64
    public var rowsLoaded: Int64
    public var diagnostics: [Diagnostic]
    public var error: String?
    public var finishedAt: Date
    public init(status: String, exitCode: Int32, apiCalls: Int, throttleWaits: Int, throttleWaitSeconds: Double,
                bytesArchived: Int64, rowsLoaded: Int64, diagnostics: [Diagnostic], error: String?, finishedAt: Date) {
        self.status = status; self.exitCode = exitCode; self.apiCalls = apiCalls; self.throttleWaits = throttleWaits
        self.throttleWaitSeconds = throttleWaitSeconds; self.bytesArchived = bytesArchived; self.rowsLoaded = rowsLoaded
        self.diagnostics = diagnostics; self.error = error; self.finishedAt = finishedAt
    }
}

/// A failed slice, for `etl.run_items` (a successful one is written by `loadSlice` itself).
public struct FailedItem: Sendable {
    public var slice: SliceIdentity
    public var runID: Int64
    public var error: String
    public var failureClass: FailureClass
    public var apiCalls: Int
    public var attempts: Int
    public var startedAt: Date
    public var finishedAt: Date
    public init(slice: SliceIdentity, runID: Int64, error: String, failureClass: FailureClass, apiCalls: Int, attempts: Int, startedAt: Date, finishedAt: Date) {
        self.slice = slice; self.runID = runID; self.error = error; self.failureClass = failureClass
        self.apiCalls = apiCalls; self.attempts = attempts; self.startedAt = startedAt; self.finishedAt = finishedAt
    }
}

/// The warehouse as the runtime sees it. One implementation: PostgreSQL (WarehousePG).
public protocol Warehouse: Sendable {
    /// Inserts `etl.runs` and returns the new run id.
    func beginRun(_ start: RunStart) async throws -> Int64
    func finishRun(_ runID: Int64, _ outcome: RunOutcome) async throws
    /// Takes the pipeline's run lock for the life of this warehouse connection; false when held elsewhere
    /// (unless `wait`, which blocks until free). With a `shard` the lock is that shard's: shards of
    /// the same N run side by side, while an unsharded run and any shard exclude each other.
    func acquireRunLock(pipeline: String, shard: Shard?, wait: Bool) async throws -> Bool
    /// Watermarks of a pipeline: (waba_id, dataset) → last loaded WABA-local date.
    func watermarks(pipeline: String) async throws -> [WatermarkKey: String]
    /// Records archived pages in `etl.raw_pages`, each as soon as its file is durable, outside any
    /// load transaction (a rolled-back load never erases it). Idempotent per path.
    func recordRawPages(_ pages: [RawPageRecord]) async throws
    /// Manifest rows: pages of `dataset`/`wabaID` whose window starts within [from, to].
    func rawPages(dataset: String?, wabaIDs: [String], from: String, to: String) async throws -> [RawPageRecord]
    /// Starts the fetch of one slice (`etl.fetches`, incomplete until `completeFetch`); returns its id.
    func beginFetch(runID: Int64, slice: SliceIdentity) async throws -> Int64
    /// Marks a fetch complete: its last page is archived and in the manifest.
    func completeFetch(_ fetchID: Int64, pages: Int) async throws
    /// Marks archived pages as superseded: a request that failed after some pages and was retried
    /// in another form (split window, alternative name). Replay never loads them.
    func supersedePages(paths: [String]) async throws
    /// The fetches (complete or not) of `dataset` whose window starts within [from, to], each with
    /// its pages in order; manifest rows from before fetches were recorded are grouped by run.
    func archivedFetches(dataset: String, wabaIDs: [String], from: String, to: String) async throws -> [ArchivedFetch]
    /// Upserts the WABA dimension (and its phone numbers).
    func upsertWABA(_ info: WABAInfo, phones: [PhoneNumberRow], runID: Int64) async throws
    /// Loads one slice in one transaction under its (WABA, dataset) lock: COPY into staging, merge
    /// into facts with revisions, `is_final`, the run item, and the watermark or backfill chunk.
    /// All or nothing.
    func loadSlice(_ load: SliceLoad) async throws -> LoadStats
    /// Records a failed slice in `etl.run_items`.
    func recordFailedItem(_ item: FailedItem) async throws
    /// Completed chunks of a backfill (its ledger), to resume after the last completed one.
    func completedBackfillChunks(backfillKey: String) async throws -> Set<SliceIdentity>
    /// Runs the SQL transforms (`sql/transforms/*.sql`, in order) for WABA-local days [from, to].
    func runTransforms(from: String, to: String) async throws -> [String: Double]
    /// The latest loaded pricing grain of each WABA at `granularity`, with the days it covers.
    func loadedPricingGrains(granularity: String) async throws -> [LoadedPricingGrain]
}

/// Key of a watermark.
public struct WatermarkKey: Sendable, Hashable, Codable {
    public var wabaID: String
    public var dataset: String
    public init(wabaID: String, dataset: String) { self.wabaID = wabaID; self.dataset = dataset }
}
