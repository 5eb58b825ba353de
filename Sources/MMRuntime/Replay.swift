import Foundation
import Logging
import MMCore

/// Rebuilds facts from the raw archive only, with no API call: for each (dataset, WABA, window)
/// in the range, the latest *complete* fetch (`ReplaySelection`) is read back page by page
/// (checksum verified), normalized by the same functions as the nightly run and loaded as one
/// slice. An incomplete fetch (a killed or failed run) is never used. A slice with a missing,
/// corrupt or mismatching file fails whole (nothing partial loads) and fails the run.
public struct Replay: Sendable {
    public let config: PipelineConfig
    public let archive: any ArchiveStore
    public let warehouse: any Warehouse
    public let clock: any RuntimeClock
    public let logger: Logger
    /// Once triggered (SIGTERM/SIGINT), no new slice starts and the run ends `interrupted`.
    public var interruption = Interruption()
    /// The page normalizers (the standard ones; tests swap one in).
    public var normalizers = PageNormalizers()

    public init(config: PipelineConfig, archive: any ArchiveStore, warehouse: any Warehouse, clock: any RuntimeClock, logger: Logger) {
        self.config = config; self.archive = archive; self.warehouse = warehouse; self.clock = clock; self.logger = logger
    }

    public func run(from: Day, to: Day, wabas: [String], datasets: [String], argsJSON: String) async throws -> RunReport {
        let ledger = RunLedger(pipeline: config.name, warehouse: warehouse, clock: clock, interruption: interruption)
        // An unusable archive is not fixed by running again: any failed slice makes the replay exit 1.
        let verdict: (RunReport) -> RunVerdict = { r in
            r.failed.isEmpty ? r.slicesVerdict : RunVerdict(status: r.loaded.isEmpty ? "failed" : "partial", exitCode: RunVerdict.failed)
        }
        return try await ledger.run(command: "replay", argsJSON: argsJSON, asOf: to.description, counters: RunCounters(waitBudget: .zero),
                                    logger: logger, verdict: verdict) { scope in
            try await replay(from: from, to: to, wabas: wabas, datasets: datasets, scope: scope)
        }
    }

    private func replay(from: Day, to: Day, wabas: [String], datasets: [String], scope: RunLedger.Scope) async throws -> RunReport {
        var report = RunReport(runID: scope.runID, verdict: RunVerdict.of(succeeded: 0, failures: []), counters: scope.counters.snapshot)
        let wanted = datasets.isEmpty ? Dataset.allCases : datasets.compactMap(Dataset.init(rawValue:))
        let loader = SliceLoader(archive: archive, warehouse: warehouse, runID: scope.runID, normalizers: normalizers)
        var infos: [String: WABAInfo] = [:]
        for dataset in wanted {
            let fetches = try await warehouse.archivedFetches(dataset: dataset.rawValue, wabaIDs: wabas, from: from.description, to: to.description)
            for fetch in ReplaySelection.latestComplete(fetches) where !interruption.isTriggered {
                let slice = SliceIdentity(pipeline: config.name, wabaID: fetch.wabaID, dataset: dataset.rawValue,
                                          windowStart: fetch.windowStart, windowEnd: fetch.windowEnd)
                var slog = scope.logger
                slog[metadataKey: "waba"] = "\(fetch.wabaID)"; slog[metadataKey: "dataset"] = "\(dataset)"
                slog[metadataKey: "window"] = "\(fetch.window)"
                let started = clock.now()
                do {
                    let info: WABAInfo
                    if let known = infos[fetch.wabaID] { info = known } else {
                        info = try await wabaInfo(fetch.wabaID)
                        infos[fetch.wabaID] = info
                    }
                    let pages = try fetch.pages.map { record in
                        FetchedPage(record: record, context: PageContext.replaying(
                            try archive.readSidecar(relativePath: record.archived.relativePath), dataset: dataset, info: info,
                            source: record.archived.relativePath))
                    }
                    let fetchedAt = fetch.pages[0].fetchedAt
                    let asOf = max(Day(fetch.windowEnd) ?? to, Day(epochSecondsUTC: Int64(fetchedAt.timeIntervalSince1970)))
                    let loaded = try await loader.load(slice, dataset: dataset, pages: pages, ledger: SliceLoader.Ledger(
                        finalBefore: asOf - config.settleDays(dataset.rawValue), watermark: nil, backfillKey: nil, apiCalls: 0,
                        startedAt: started, fetchedAt: fetchedAt))
                    scope.counters.update { $0.rowsLoaded += Int64(loaded.totals.rows); $0.dataPoints += loaded.totals.dataPoints; $0.pages += pages.count }
                    report.loaded.append(SliceSuccess(slice: slice, stats: loaded.stats))
                    report.diagnostics += loaded.totals.diagnostics
                    slog.info("slice replayed", metadata: ["pages": "\(pages.count)", "rows": "\(loaded.totals.rows)", "run": "\(fetch.runID)"])
                } catch {
                    // Nothing about the archive gets better by retrying: a failed replay slice is terminal.
                    let cls = FailureClass(of: error) == .transient ? .terminal : FailureClass(of: error)
                    slog.error("slice skipped: archive unusable", metadata: ["error": "\(error)"])
                    report.failed.append(SliceFailure(slice: slice, error: "\(error)", failureClass: cls))
                    try? await warehouse.recordFailedItem(FailedItem(slice: slice, runID: scope.runID, error: "\(error)", failureClass: cls,
                                                                    apiCalls: 0, attempts: 1, startedAt: started, finishedAt: clock.now()))
                }
            }
        }
        return report
    }

    /// The WABA's currency and timezone from its latest archived fields page (no API call).
    func wabaInfo(_ wabaID: String) async throws -> WABAInfo {
        let pages = try await warehouse.rawPages(dataset: "waba", wabaIDs: [wabaID], from: "1970-01-01", to: "9999-12-31")
        guard let latest = pages.filter({ $0.page == 0 }).max(by: { ($0.runID, $0.fetchedAt) < ($1.runID, $1.fetchedAt) }) else {
            throw RuntimeError(failureClass: .terminal, message: "no archived WABA fields for \(wabaID): run the nightly job once to archive them")
        }
        let body = try archive.read(relativePath: latest.archived.relativePath, expectedSHA256: latest.archived.sha256)
        let f = try CatalogNormalizer.wabaFields(body, source: latest.archived.relativePath)
        return f.info(entry: config.wabas.first { $0.id == wabaID })
    }
}
