import Foundation
import Logging
import MMCore

/// One WABA of a run: resolve it, then each dataset's slices in order.
extension RunEngine {
    struct WABAResult: Sendable {
        var loaded: [(SliceIdentity, LoadStats)] = []
        var failed: [(SliceIdentity, String, FailureClass)] = []
        var skipped: [SliceIdentity] = []
        var diagnostics: [Diagnostic] = []
    }

    /// One WABA: resolve it, then each dataset's slices in order (catalog first: its ids feed templates).
    func processWABA(_ entry: WABAEntry, mode: Mode, runID: Int64, watermarks: [WatermarkKey: String],
                     completed: Set<SliceIdentity>, backfillKey: String?, resolver: WABAResolver,
                     extractor: SliceExtractor, counters: RunCounters, logger: Logger) async -> WABAResult {
        events(.wabaStarted(entry.id))
        defer { events(.wabaFinished(entry.id)) }
        var result = WABAResult()
        let datasets: [String]
        switch mode {
        case .nightly: datasets = config.datasetNames
        case .backfill(_, _, _, let only, _):
            datasets = config.datasetNames.filter { only.isEmpty || only.contains($0) || ($0 == DatasetName.catalog && only.contains(DatasetName.templates)) }
        }
        let started = ports.clock.now()
        // Resolve the WABA itself; without it nothing of this WABA can load.
        let info: WABAInfo
        do {
            let today = Day(epochSecondsUTC: Int64(started.timeIntervalSince1970))
            let (i, phones, records, diags) = try await resolver.resolve(entry, asOf: today, logger: logger)
            try await ports.warehouse.recordRawPages(records)
            try await ports.warehouse.upsertWABA(i, phones: phones, runID: runID)
            info = i
            result.diagnostics += diags
        } catch {
            let cls = (error as? any ClassifiedError)?.failureClass ?? .terminal
            logger.error("WABA could not be resolved; its datasets are skipped this run", metadata: ["error": "\(error)"])
            let today = Day(epochSecondsUTC: Int64(started.timeIntervalSince1970)).description
            for ds in datasets {
                let slice = SliceIdentity(pipeline: config.name, wabaID: entry.id, dataset: ds, windowStart: today, windowEnd: today)
                result.failed.append((slice, "\(error)", cls))
                events(.sliceFailed(slice, error: "\(error)", failureClass: cls))
            }
            return result
        }
        var log = logger
        log[metadataKey: "tz"] = "\(info.timezone)"
        // "Today" in the WABA's timezone unless --as-of is given.
        let localToday = TimeZones.localDay(epochSeconds: Int64(ports.clock.now().timeIntervalSince1970), in: info.timezone)
        var templateIDs: [String]?

        for ds in datasets {
            var dlog = log
            dlog[metadataKey: "dataset"] = "\(ds)"
            if ds == DatasetName.templates && info.insightsEnabled == false {
                // Asking would fail with error 100 on every batch; say once what to do instead.
                dlog.warning("template analytics are not enabled for this WABA: skipped. Fix: POST /\(config.graph.apiVersion)/\(entry.id)?is_enabled_for_insights=true (once; irreversible)")
                result.diagnostics.append(Diagnostic(kind: .other, subject: "waba \(entry.id) template analytics", value: "not enabled (is_enabled_for_insights=false): skipped"))
                result.skipped.append(SliceIdentity(pipeline: config.name, wabaID: entry.id, dataset: ds, windowStart: localToday.description, windowEnd: localToday.description))
                continue
            }
            let windows: [(DayWindow, Bool)]   // (window, advances watermark)
            let asOf: Day
            switch mode {
            case .nightly(let a):
                asOf = a ?? localToday
                let wm = watermarks[WatermarkKey(wabaID: entry.id, dataset: ds)].flatMap(Day.init)
                guard let w = WindowPlanner.nightly(dataset: ds, watermark: wm, startDate: config.startDate,
                                                    settleDays: config.settleDays(ds), asOf: asOf) else { continue }
                windows = [(w, true)]
            case .backfill(let from, let to, _, _, let chunk):
                asOf = localToday
                if ds == DatasetName.catalog {
                    windows = [(DayWindow(start: localToday, end: localToday), false)]
                } else {
                    windows = WindowPlanner.backfill(from: from, to: to, chunkDays: chunk).map { ($0, false) }
                }
            }
            for (window, advances) in windows {
                if interruption.isTriggered { return result }
                let slice = SliceIdentity(pipeline: config.name, wabaID: entry.id, dataset: ds,
                                          windowStart: window.start.description, windowEnd: window.end.description)
                // The catalog is read on every backfill (its ids feed the template batches) and is
                // never a ledger chunk.
                let isCatalog = ds == DatasetName.catalog
                if !isCatalog && completed.contains(slice) { result.skipped.append(slice); continue }
                var slog = dlog
                slog[metadataKey: "window"] = "\(window)"
                let sliceStart = ports.clock.now()
                do {
                    let extracted: Extracted
                    switch ds {
                    case DatasetName.catalog:
                        extracted = try await extractor.catalog(info, asOf: asOf, logger: slog)
                        templateIDs = extracted.batch.templates.map(\.templateID)
                    case DatasetName.pricing:
                        extracted = try await extractor.pricing(info, window: window, logger: slog)
                    case DatasetName.templates:
                        guard let ids = templateIDs else {
                            throw RuntimeError(failureClass: .terminal, message: "the template catalog could not be read, so template analytics were not requested")
                        }
                        extracted = try await extractor.templates(info, window: window, templateIDs: ids, logger: slog)
                    default:
                        continue
                    }
                    if !extracted.rawPages.isEmpty { try await ports.warehouse.recordRawPages(extracted.rawPages) }
                    let batch = extracted.batch.deduplicated()
                    let finalBefore = asOf - config.settleDays(ds)
                    let stats = try await ports.warehouse.loadSlice(SliceLoad(
                        slice: slice, runID: runID, rows: batch, finalBefore: finalBefore.description,
                        advanceWatermarkTo: advances ? window.end.description : nil, backfillKey: isCatalog ? nil : backfillKey,
                        apiCalls: extracted.apiCalls, pages: extracted.pages, attempts: 1, startedAt: sliceStart,
                        fetchedAt: extracted.pages > 0 ? extracted.fetchedAt : ports.clock.now()))
                    counters.update { $0.rowsLoaded += Int64(batch.rowCount) }
                    result.loaded.append((slice, stats))
                    result.diagnostics += batch.diagnostics
                    events(.sliceLoaded(slice, rows: batch.rowCount, stats: stats))
                    slog.info("slice loaded", metadata: [
                        "pages": "\(extracted.pages)", "rows": "\(batch.rowCount)", "inserted": "\(stats.inserted)",
                        "updated": "\(stats.updated)", "unchanged": "\(stats.unchanged)",
                    ])
                } catch {
                    if error is RunLivenessLostError { interruption.trigger("the run lost its database session") }
                    if interruption.isTriggered && (error is CancellationError || Task.isCancelled || error is RunLivenessLostError) {
                        slog.warning("slice stopped by the interruption; it will load on the next run", metadata: ["error": "\(error)"])
                        return result
                    }
                    let cls = (error as? any ClassifiedError)?.failureClass ?? .terminal
                    slog.error("slice failed", metadata: ["error": "\(error)", "class": "\(cls.rawValue)"])
                    result.failed.append((slice, "\(error)", cls))
                    events(.sliceFailed(slice, error: "\(error)", failureClass: cls))
                    try? await ports.warehouse.recordFailedItem(FailedItem(slice: slice, runID: runID, error: "\(error)", failureClass: cls,
                                                                          apiCalls: 0, attempts: 1, startedAt: sliceStart, finishedAt: ports.clock.now()))
                    if cls == .auth { return result }   // the token will not work for the rest either
                }
            }
        }
        return result
    }
}
