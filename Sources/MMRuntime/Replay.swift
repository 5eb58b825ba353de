import Foundation
import Logging
import MMCore

/// Rebuilds facts from the raw archive only, with no API call: for each (dataset, WABA, window)
/// in the range, the pages of the latest run that fetched it are read back (checksum verified),
/// normalized by the same functions as the nightly run, and loaded as one slice. A slice with a
/// missing, corrupt or mismatching file is skipped whole (nothing partial loads) and fails the run.
public struct Replay: Sendable {
    public let config: PipelineConfig
    public let archive: any ArchiveStore
    public let warehouse: any Warehouse
    public let clock: any RuntimeClock
    public let logger: Logger
    /// Once triggered (SIGTERM/SIGINT), no new slice starts and the run ends `interrupted`.
    public var interruption = Interruption()

    public init(config: PipelineConfig, archive: any ArchiveStore, warehouse: any Warehouse, clock: any RuntimeClock, logger: Logger) {
        self.config = config; self.archive = archive; self.warehouse = warehouse; self.clock = clock; self.logger = logger
    }

    public func run(from: Day, to: Day, wabas: [String], datasets: [String], argsJSON: String) async throws -> RunReport {
        let runID = try await warehouse.beginRun(RunStart(pipeline: config.name, command: "replay", argsJSON: argsJSON,
                                                          asOf: to.description, startedAt: clock.now()))
        var log = logger
        log[metadataKey: "run_id"] = "\(runID)"
        let counters = RunCounters(waitBudget: .zero)
        var report = RunReport(runID: runID, verdict: RunVerdict.of(succeeded: 0, failures: []), counters: counters.snapshot)
        let wanted = datasets.isEmpty ? [DatasetName.catalog, DatasetName.pricing, DatasetName.templates] : datasets
        var infos: [String: WABAInfo] = [:]
        var minDay: Day?, maxDay: Day?

        for dataset in wanted {
            let pages = try await warehouse.rawPages(dataset: dataset, wabaIDs: wabas, from: from.description, to: to.description)
            // Latest run per (waba, window): older fetches of the same window are superseded.
            var groups: [String: [RawPageRecord]] = [:]
            for p in pages { groups["\(p.wabaID)|\(p.windowStart)|\(p.windowEnd)", default: []].append(p) }
            for key in groups.keys.sorted() where !interruption.isTriggered {
                let all = groups[key]!
                let latestRun = all.map(\.runID).max()!
                let slicePages = all.filter { $0.runID == latestRun }.sorted { $0.page < $1.page }
                let first = slicePages[0]
                let slice = SliceIdentity(pipeline: config.name, wabaID: first.wabaID, dataset: dataset,
                                          windowStart: first.windowStart, windowEnd: first.windowEnd)
                var slog = log
                slog[metadataKey: "waba"] = "\(first.wabaID)"; slog[metadataKey: "dataset"] = "\(dataset)"
                slog[metadataKey: "window"] = "\(first.windowStart)…\(first.windowEnd)"
                let started = clock.now()
                do {
                    let info: WABAInfo
                    if let known = infos[first.wabaID] { info = known } else {
                        info = try await wabaInfo(first.wabaID)
                        infos[first.wabaID] = info
                    }
                    var batch = NormalizedBatch()
                    for p in slicePages {
                        let body = try archive.read(relativePath: p.archived.relativePath, expectedSHA256: p.archived.sha256)
                        let sidecar = try archive.readSidecar(relativePath: p.archived.relativePath)
                        let ctx = Self.context(for: sidecar, dataset: dataset, info: info, source: p.archived.relativePath)
                        batch.append(try Self.normalizer(for: dataset)(body, ctx))
                    }
                    batch = batch.deduplicated()
                    let asOf = Day(first.windowEnd) ?? to
                    let stats = try await warehouse.loadSlice(SliceLoad(
                        slice: slice, runID: runID, rows: batch,
                        finalBefore: (max(asOf, Day(epochSecondsUTC: Int64(first.fetchedAt.timeIntervalSince1970))) - config.settleDays(dataset)).description,
                        advanceWatermarkTo: nil, backfillKey: nil, apiCalls: 0, pages: slicePages.count, attempts: 1,
                        startedAt: started, fetchedAt: first.fetchedAt))
                    report.loaded.append((slice, stats))
                    report.diagnostics += batch.diagnostics
                    if dataset != DatasetName.catalog, let s = Day(first.windowStart), let e = Day(first.windowEnd) {
                        minDay = min(minDay ?? s, s); maxDay = max(maxDay ?? e, e)
                    }
                    slog.info("slice replayed", metadata: ["pages": "\(slicePages.count)", "rows": "\(batch.rowCount)"])
                } catch {
                    let cls = (error as? any ClassifiedError)?.failureClass ?? .terminal
                    slog.error("slice skipped: archive unusable", metadata: ["error": "\(error)"])
                    report.failed.append((slice, "\(error)", cls == .transient ? .terminal : cls))
                    try? await warehouse.recordFailedItem(FailedItem(slice: slice, runID: runID, error: "\(error)", failureClass: cls,
                                                                    apiCalls: 0, attempts: 1, startedAt: started, finishedAt: clock.now()))
                }
            }
        }
        report.interruptedBy = interruption.reason
        if let minDay, let maxDay, report.interruptedBy == nil {
            report.transformSeconds = try await warehouse.runTransforms(from: minDay.description, to: maxDay.description)
        }
        report.diagnostics = mergeDiagnostics(report.diagnostics)
        report.verdict = report.failed.isEmpty ? RunVerdict.of(succeeded: report.loaded.count, failures: [])
            : RunVerdict(status: report.loaded.isEmpty ? "failed" : "partial", exitCode: RunVerdict.failed)
        if report.interruptedBy != nil { report.verdict = .interrupted }
        try await warehouse.finishRun(runID, RunOutcome(
            status: report.verdict.status, exitCode: report.verdict.exitCode, apiCalls: 0, throttleWaits: 0, throttleWaitSeconds: 0,
            bytesArchived: 0, rowsLoaded: Int64(report.loaded.reduce(0) { $0 + Int($1.1.rowsCopied) }), diagnostics: report.diagnostics,
            error: report.interruptedBy.map { "interrupted: \($0)" } ?? report.failed.first.map { "\($0.0): \($0.1)" }, finishedAt: clock.now()))
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

    /// The normalizer of a dataset — the same functions the nightly run uses.
    static func normalizer(for dataset: String) -> PageNormalizer {
        switch dataset {
        case DatasetName.pricing: return PricingNormalizer.normalize
        case DatasetName.templates: return TemplateAnalyticsNormalizer.normalize
        default: return CatalogNormalizer.normalize
        }
    }

    /// Rebuilds a page's context from its archived request URL.
    static func context(for sidecar: ArchiveSidecar, dataset: String, info: WABAInfo, source: String) -> PageContext {
        let q = QueryString.parse(sidecar.url)
        return PageContext(wabaID: info.wabaID, currency: info.currency, timezone: info.timezone,
                           requestedProductType: q["product_type"], useWABATimezone: q["use_waba_timezone"] == "true",
                           granularity: q["granularity"] ?? "DAILY",
                           pricingDimensions: PricingGrain.canonical(PricingGrain.listParameter(q["dimensions"] ?? "")), source: source)
    }
}

/// Query parameters of a URL, percent-decoded.
enum QueryString {
    static func parse(_ url: String) -> [String: String] {
        guard let q = url.firstIndex(of: "?") else { return [:] }
        var out: [String: String] = [:]
        for pair in url[url.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let v = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            out[k] = v
        }
        return out
    }
}
