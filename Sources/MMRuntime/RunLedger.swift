import Foundation
import Logging
import MMCore

/// One run in the ledger, shared by `run`, `backfill` and `replay`: the `etl.runs` row is
/// inserted, the body executes, the transforms redo the loaded days, and the outcome is recorded —
/// also when the body throws or the run is interrupted (then `RunInterrupted`, exit 75).
struct RunLedger: Sendable {
    let pipeline: String
    let warehouse: any Warehouse
    let clock: any RuntimeClock
    let interruption: Interruption
    /// `K/N` when the run is one shard (recorded in `etl.runs.shard`).
    var shard: String?
    /// False for a shard: the cross-WABA transforms run once, in `mmetl transform`.
    var runsTransforms = true

    /// What the body gets: its run id, a logger carrying it, and the run's counters.
    struct Scope: Sendable {
        var runID: Int64
        var logger: Logger
        var counters: RunCounters
    }

    /// - Parameter verdict: the verdict of a run that ran to its end (default: `slicesVerdict`).
    func run(command: String, argsJSON: String, asOf: String?, counters: RunCounters, logger: Logger,
             verdict: (RunReport) -> RunVerdict = \.slicesVerdict,
             _ body: (Scope) async throws -> RunReport) async throws -> RunReport {
        let runID = try await warehouse.beginRun(RunStart(pipeline: pipeline, command: command, argsJSON: argsJSON,
                                                          asOf: asOf, startedAt: clock.now(), shard: shard))
        var log = logger
        log[metadataKey: "run_id"] = "\(runID)"
        log.info("run started", metadata: ["command": "\(command)", "pipeline": "\(pipeline)"])
        var report: RunReport
        do {
            report = try await body(Scope(runID: runID, logger: log, counters: counters))
        } catch {
            let stopped = interruption.reason
            let verdict = stopped == nil ? RunVerdict(status: "failed", exitCode: RunVerdict.exitCode(for: FailureClass(of: error))) : .interrupted
            try? await warehouse.finishRun(runID, outcome(verdict, counters.snapshot, diagnostics: [],
                                                          error: stopped.map { "interrupted: \($0)" } ?? "\(error)"))
            log.error(stopped == nil ? "run failed" : "run interrupted", metadata: ["error": "\(error)"])
            if let stopped { throw RunInterrupted(reason: stopped) }
            throw error
        }
        report.diagnostics = mergeDiagnostics(report.diagnostics)
        if let reason = interruption.reason {
            // Whole slices are kept; transforms and the rest wait for the next run.
            log.warning("run interrupted: in-flight work finished or rolled back, nothing new started", metadata: ["reason": "\(reason)"])
            report.interruptedBy = reason
            report.verdict = .interrupted
        } else {
            if runsTransforms { await transform(&report, logger: log) }
            report.verdict = verdict(report)
        }
        report.counters = counters.snapshot
        let error = report.interruptedBy.map { "interrupted: \($0)" }
            ?? (report.failed.isEmpty ? nil : report.failed.prefix(5).map(\.description).joined(separator: "; "))
        try await warehouse.finishRun(runID, outcome(report.verdict, report.counters, diagnostics: report.diagnostics, error: error))
        log.info("run finished", metadata: [
            "status": "\(report.verdict.status)", "slices_loaded": "\(report.loaded.count)", "slices_failed": "\(report.failed.count)",
            "api_calls": "\(report.counters.apiCalls)", "rows_loaded": "\(report.counters.rowsLoaded)",
            "throttle_waits": "\(report.counters.throttleWaits)",
        ])
        return report
    }

    /// The SQL transforms over the loaded days; a failure is recorded as a failed "transforms" slice.
    private func transform(_ report: inout RunReport, logger: Logger) async {
        guard let days = report.loadedDays else { return }
        do {
            report.transformSeconds = try await warehouse.runTransforms(from: days.start.description, to: days.end.description)
        } catch {
            logger.error("transforms failed", metadata: ["error": "\(error)"])
            report.failed.append(SliceFailure(
                slice: SliceIdentity(pipeline: pipeline, wabaID: "*", dataset: "transforms",
                                     windowStart: days.start.description, windowEnd: days.end.description),
                error: "\(error)", failureClass: FailureClass(of: error)))
        }
    }

    private func outcome(_ verdict: RunVerdict, _ c: RunCounters.Snapshot, diagnostics: [Diagnostic], error: String?) -> RunOutcome {
        RunOutcome(status: verdict.status, exitCode: verdict.exitCode, apiCalls: c.apiCalls, throttleWaits: c.throttleWaits,
                   throttleWaitSeconds: c.throttleWaitSeconds, bytesArchived: c.bytesArchived, rowsLoaded: c.rowsLoaded,
                   diagnostics: diagnostics, error: error, finishedAt: clock.now())
    }
}
