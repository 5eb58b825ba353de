import Foundation
import Logging
import MMCore

/// One WABA of a run: resolve it, plan its slices, run them in order.
extension RunEngine {
    struct WABAResult: Sendable {
        var loaded: [SliceSuccess] = []
        var failed: [SliceFailure] = []
        var skipped: [SliceIdentity] = []
        var diagnostics: [Diagnostic] = []
    }

    /// One WABA: resolve it (without it nothing of the WABA can load), then run each planned slice
    /// in order (the catalog first: its ids feed the template batches).
    func processWABA(_ entry: WABAEntry, mode: RunMode, ledger: SlicePlanner.Ledger, stages: Stages, logger: Logger) async -> WABAResult {
        events(.wabaStarted(entry.id))
        defer { events(.wabaFinished(entry.id)) }
        var result = WABAResult()
        let info: WABAInfo
        do {
            let (i, phones, diags) = try await stages.resolver.resolve(entry, asOf: RunDay.utc(ports.clock), logger: logger)
            try await ports.warehouse.upsertWABA(i, phones: phones, runID: stages.runID)
            info = i
            result.diagnostics += diags
        } catch {
            let cls = FailureClass(of: error)
            logger.error("WABA could not be resolved; its datasets are skipped this run", metadata: ["error": "\(error)"])
            let today = RunDay.utc(ports.clock)
            for ds in SlicePlanner.datasets(config, mode: mode) {
                fail(&result, SliceFailure(slice: PlannedSlice(wabaID: entry.id, dataset: ds, window: DayWindow(start: today, end: today),
                                                               completion: .none, finalBefore: today).identity(pipeline: config.name),
                                           error: "\(error)", failureClass: cls))
            }
            return result
        }
        var log = logger
        log[metadataKey: "tz"] = "\(info.timezone)"
        let plan = SlicePlanner.plan(config, mode: mode, waba: SlicePlanner.WABAState(
            wabaID: entry.id, localToday: RunDay.local(ports.clock, timezone: info.timezone), insightsEnabled: info.insightsEnabled),
            ledger: ledger)
        var templateIDs: [String]?
        for planned in plan {
            if interruption.isTriggered { return result }
            let slice = planned.identity(pipeline: config.name)
            var slog = log
            slog[metadataKey: "dataset"] = "\(planned.dataset)"
            slog[metadataKey: "window"] = "\(planned.window)"
            if let skip = planned.skip {
                if skip == .insightsDisabled {
                    // Asking would fail with error 100 on every batch; say once what to do instead.
                    slog.warning("template analytics are not enabled for this WABA: skipped. Fix: POST /\(config.graph.apiVersion)/\(entry.id)?is_enabled_for_insights=true (once; irreversible)")
                    result.diagnostics.append(Diagnostic(kind: .other, subject: "waba \(entry.id) template analytics", value: "not enabled (is_enabled_for_insights=false): skipped"))
                }
                result.skipped.append(slice)
                continue
            }
            let sliceStart = ports.clock.now()
            do {
                let loaded = try await stages.runner.run(planned, waba: info, templateIDs: templateIDs, logger: slog)
                if planned.dataset == .catalog { templateIDs = loaded.totals.templateIDs }
                stages.counters.update { $0.rowsLoaded += Int64(loaded.totals.rows); $0.dataPoints += loaded.totals.dataPoints }
                result.loaded.append(SliceSuccess(slice: slice, stats: loaded.stats))
                result.diagnostics += loaded.totals.diagnostics
                events(.sliceLoaded(slice, rows: loaded.totals.rows, stats: loaded.stats))
                slog.info("slice loaded", metadata: [
                    "rows": "\(loaded.totals.rows)", "inserted": "\(loaded.stats.inserted)",
                    "updated": "\(loaded.stats.updated)", "unchanged": "\(loaded.stats.unchanged)",
                ])
            } catch {
                if error is RunLivenessLostError { interruption.trigger("the run lost its database session") }
                if interruption.isTriggered && (error is CancellationError || Task.isCancelled || error is RunLivenessLostError) {
                    slog.warning("slice stopped by the interruption; it will load on the next run", metadata: ["error": "\(error)"])
                    return result
                }
                let failure = SliceFailure(slice: slice, error: "\(error)", failureClass: FailureClass(of: error))
                slog.error("slice failed", metadata: ["error": "\(error)", "class": "\(failure.failureClass.rawValue)"])
                fail(&result, failure)
                try? await ports.warehouse.recordFailedItem(FailedItem(slice: slice, runID: stages.runID, error: failure.error,
                                                                      failureClass: failure.failureClass, apiCalls: 0, attempts: 1,
                                                                      startedAt: sliceStart, finishedAt: ports.clock.now()))
                if failure.failureClass == .auth { return result }   // the token will not work for the rest either
            }
        }
        return result
    }

    private func fail(_ result: inout WABAResult, _ failure: SliceFailure) {
        result.failed.append(failure)
        events(.sliceFailed(failure.slice, error: failure.error, failureClass: failure.failureClass))
    }
}
