import Foundation
import MMCore
import Synchronization

/// The in-memory twin of the `Warehouse` port, for runtime tests without PostgreSQL. It keeps the
/// ledger (runs, failed items, watermarks forward only, backfill chunks, manifest and fetches) and
/// each fact's latest row per key, so a slice's load reports inserted / updated / unchanged as the
/// real merge does. One lock: every call is atomic, as a transaction would be.
public final class InMemoryWarehouse: Warehouse {
    public struct State: Sendable {
        public var runs: [Int64: RunOutcome?] = [:]
        public var runCommands: [Int64: String] = [:]
        public var failedItems: [FailedItem] = []
        public var watermarks: [String: [WatermarkKey: String]] = [:]
        public var chunks: [String: Set<SliceIdentity>] = [:]
        public var pages: [RawPageRecord] = []
        public var superseded: Set<String> = []
        public var fetches: [Int64: (slice: SliceIdentity, runID: Int64, complete: Bool)] = [:]
        /// table → key → value
        public var facts: [String: [String: String]] = [:]
        public var wabas: [String: WABAInfo] = [:]
        public var loads: [SliceIdentity] = []
        public var transforms: [DayWindow] = []
    }
    private let state = Mutex(State())
    /// Awaited at the start of every slice load (a test holds loads back with it).
    private let beforeLoad: (@Sendable (SliceIdentity) async -> Void)?

    public init(beforeLoad: (@Sendable (SliceIdentity) async -> Void)? = nil) { self.beforeLoad = beforeLoad }

    public var snapshot: State { state.withLock { $0 } }

    public func beginRun(_ start: RunStart) async throws -> Int64 {
        state.withLock { s in
            let id = Int64(s.runs.count + 1)
            s.runs[id] = .some(nil); s.runCommands[id] = start.command
            return id
        }
    }
    public func finishRun(_ runID: Int64, _ outcome: RunOutcome) async throws { state.withLock { $0.runs[runID] = outcome } }
    public func acquireRunLock(pipeline: String, shard: Shard?, wait: Bool) async throws -> Bool { true }
    public func watermarks(pipeline: String) async throws -> [WatermarkKey: String] { state.withLock { $0.watermarks[pipeline] ?? [:] } }
    public func recordRawPages(_ pages: [RawPageRecord]) async throws {
        state.withLock { s in
            let paths = Set(pages.map(\.archived.relativePath))
            s.pages.removeAll { paths.contains($0.archived.relativePath) }
            s.pages += pages
        }
    }
    public func rawPages(dataset: String?, wabaIDs: [String], from: String, to: String) async throws -> [RawPageRecord] {
        state.withLock { s in
            s.pages.filter { p in (dataset.map { $0 == p.dataset } ?? true) && (wabaIDs.isEmpty || wabaIDs.contains(p.wabaID))
                && p.windowStart >= from && p.windowStart <= to }
        }
    }
    public func beginFetch(runID: Int64, slice: SliceIdentity) async throws -> Int64 {
        state.withLock { s in
            let id = Int64(s.fetches.count + 1)
            s.fetches[id] = (slice, runID, false)
            return id
        }
    }
    public func completeFetch(_ fetchID: Int64, pages: Int) async throws { state.withLock { $0.fetches[fetchID]?.complete = true } }
    public func supersedePages(paths: [String]) async throws { state.withLock { $0.superseded.formUnion(paths) } }
    public func archivedFetches(dataset: String, wabaIDs: [String], from: String, to: String) async throws -> [ArchivedFetch] {
        state.withLock { s in
            s.fetches.keys.sorted().compactMap { id in
                let f = s.fetches[id]!
                guard f.slice.dataset == dataset, wabaIDs.isEmpty || wabaIDs.contains(f.slice.wabaID),
                      f.slice.windowStart >= from, f.slice.windowStart <= to else { return nil }
                let pages = s.pages.filter { $0.fetchID == id && !s.superseded.contains($0.archived.relativePath) }
                return ArchivedFetch(fetchID: id, runID: f.runID, dataset: dataset, wabaID: f.slice.wabaID, windowStart: f.slice.windowStart,
                                     windowEnd: f.slice.windowEnd, complete: f.complete, pages: pages)
            }
        }
    }
    public func upsertWABA(_ info: WABAInfo, phones: [PhoneNumberRow], runID: Int64) async throws { state.withLock { $0.wabas[info.wabaID] = info } }

    public func loadSlice(_ load: SliceLoad) async throws -> LoadStats {
        await beforeLoad?(load.slice)
        var rows: [(String, String, String)] = []
        var all = NormalizedBatch()
        try load.rows.forEachPage { all.append($0) }
        let batch = all.deduplicated()
        rows += batch.pricing.map { ("pricing", $0.factKey, "\($0)") }
        rows += batch.templateDaily.map { ("template_daily", $0.factKey, "\($0)") }
        rows += batch.templateClicks.map { ("template_clicks", $0.factKey, "\($0)") }
        rows += batch.conversions.map { ("conversions", $0.factKey, "\($0)") }
        rows += batch.templates.map { ("templates", $0.factKey, "\($0)") }
        return state.withLock { s in
            var stats = LoadStats()
            for (table, key, value) in rows {
                switch s.facts[table, default: [:]][key] {
                case nil: stats.inserted += 1
                case value: stats.unchanged += 1
                default: stats.updated += 1; stats.revisions += 1
                }
                s.facts[table, default: [:]][key] = value
            }
            stats.rowsCopied = Int64(rows.count)
            stats.rowsNormalized = Int64(all.rowCount); stats.dataPoints = Int64(all.dataPoints); stats.diagnostics = all.diagnostics
            if let w = load.advanceWatermarkTo {
                let key = WatermarkKey(wabaID: load.slice.wabaID, dataset: load.slice.dataset)
                s.watermarks[load.slice.pipeline, default: [:]][key] = max(w, s.watermarks[load.slice.pipeline]?[key] ?? w)
            }
            if let k = load.backfillKey { s.chunks[k, default: []].insert(load.slice) }
            s.loads.append(load.slice)
            return stats
        }
    }

    public func recordFailedItem(_ item: FailedItem) async throws { state.withLock { $0.failedItems.append(item) } }
    public func completedBackfillChunks(backfillKey: String) async throws -> Set<SliceIdentity> { state.withLock { $0.chunks[backfillKey] ?? [] } }
    public func runTransforms(from: String, to: String) async throws -> [String: Double] {
        state.withLock { $0.transforms.append(DayWindow(start: Day(from)!, end: Day(to)!)) }
        return [:]
    }
    public func loadedPricingGrains(granularity: String) async throws -> [LoadedPricingGrain] { [] }
}
