import Foundation
import Logging
import MMCore

/// Runs the stages against the ports: extract → archive → normalize → load → transform, per WABA
/// (up to `max_concurrency` WABAs in flight), per dataset, per window. A failing WABA or slice never
/// stops the others; every outcome lands in the ledger; the verdict maps to the SPEC's exit codes.
public struct RunEngine: Sendable {
    public struct Ports: Sendable {
        public var transport: any HTTPTransport
        public var archive: any ArchiveStore
        public var warehouse: any Warehouse
        public var clock: any RuntimeClock
        public init(transport: any HTTPTransport, archive: any ArchiveStore, warehouse: any Warehouse, clock: any RuntimeClock) {
            self.transport = transport; self.archive = archive; self.warehouse = warehouse; self.clock = clock
        }
    }

    public let config: PipelineConfig
    public let ports: Ports
    public let token: AccessToken
    public let appSecret: String?
    public let logger: Logger
    public var events: RunEventSink = { _ in }
    /// Set by the signal handler: no new WABA or slice starts once it is triggered.
    public var interruption = Interruption()
    /// Jitter source for backoff (fixed in tests).
    public var jitter: @Sendable () -> Double = { Double.random(in: 0..<1) }
    /// Scale-out: when set, the run takes only this shard's WABAs and leaves the transforms to
    /// `mmetl transform` (see `RunEngine+Shard`).
    public var shard: Shard?
    /// Where a shard shares app usage; nil = the warehouse, when it is an `AppUsageBoard`.
    public var appUsageBoard: (any AppUsageBoard)?

    public init(config: PipelineConfig, ports: Ports, token: AccessToken, appSecret: String?, logger: Logger) {
        self.config = config; self.ports = ports; self.token = token; self.appSecret = appSecret; self.logger = logger
    }

    /// What a run is: the nightly job, or a backfill of a closed range.
    public enum Mode: Sendable {
        /// `asOf` nil = today in each WABA's timezone.
        case nightly(asOf: Day?)
        case backfill(from: Day, to: Day, wabas: [String], datasets: [String], chunkDays: Int)
    }

    // MARK: - Entry points

    /// Runs the nightly job or a backfill. `command`/`argsJSON` go to `etl.runs`.
    public func run(_ mode: Mode, command: String, argsJSON: String) async throws -> RunReport {
        let counters = RunCounters(waitBudget: .seconds(config.graph.maxWaitSeconds))
        let asOfText: String?
        switch mode {
        case .nightly(let a): asOfText = a?.description
        case .backfill(_, let to, _, _, _): asOfText = to.description
        }
        let runID = try await ports.warehouse.beginRun(RunStart(pipeline: config.name, command: command, argsJSON: argsJSON,
                                                                asOf: asOfText, startedAt: ports.clock.now(), shard: shard?.description))
        var log = logger
        log[metadataKey: "run_id"] = "\(runID)"
        log.info("run started", metadata: ["command": "\(command)", "pipeline": "\(config.name)"])
        var report: RunReport
        do {
            report = try await execute(mode, runID: runID, counters: counters, logger: log)
        } catch {
            let cls = (error as? any ClassifiedError)?.failureClass ?? .terminal
            let stopped = interruption.reason
            let verdict = stopped == nil ? RunVerdict(status: "failed", exitCode: RunVerdict.exitCode(for: cls)) : .interrupted
            let snap = counters.snapshot
            try? await ports.warehouse.finishRun(runID, RunOutcome(
                status: verdict.status, exitCode: verdict.exitCode, apiCalls: snap.apiCalls, throttleWaits: snap.throttleWaits,
                throttleWaitSeconds: snap.throttleWaitSeconds, bytesArchived: snap.bytesArchived, rowsLoaded: snap.rowsLoaded,
                diagnostics: [], error: stopped.map { "interrupted: \($0)" } ?? "\(error)", finishedAt: ports.clock.now()))
            log.error(stopped == nil ? "run failed" : "run interrupted", metadata: ["error": "\(error)"])
            if let stopped { throw RunInterrupted(reason: stopped) }
            throw error
        }
        let snap = counters.snapshot
        report.counters = snap
        try await ports.warehouse.finishRun(runID, RunOutcome(
            status: report.verdict.status, exitCode: report.verdict.exitCode, apiCalls: snap.apiCalls,
            throttleWaits: snap.throttleWaits, throttleWaitSeconds: snap.throttleWaitSeconds, bytesArchived: snap.bytesArchived,
            rowsLoaded: snap.rowsLoaded, diagnostics: report.diagnostics,
            error: report.interruptedBy.map { "interrupted: \($0)" }
                ?? (report.failed.isEmpty ? nil : report.failed.prefix(5).map { "\($0.0): \($0.1)" }.joined(separator: "; ")),
            finishedAt: ports.clock.now()))
        log.info("run finished", metadata: [
            "status": "\(report.verdict.status)", "slices_loaded": "\(report.loaded.count)", "slices_failed": "\(report.failed.count)",
            "api_calls": "\(snap.apiCalls)", "rows_loaded": "\(snap.rowsLoaded)", "throttle_waits": "\(snap.throttleWaits)",
        ])
        return report
    }

    // MARK: - Execution

    private func execute(_ mode: Mode, runID: Int64, counters: RunCounters, logger: Logger) async throws -> RunReport {
        var requests = GraphRequests(baseURL: config.graph.baseURL, apiVersion: config.graph.apiVersion, pageSize: config.graph.pageSize)
        if let secret = appSecret, !secret.isEmpty { requests.appSecretProof = token.appSecretProof(appSecret: secret) }
        var client = GraphClient(transport: ports.transport, token: token, clock: ports.clock,
                                 policy: RetryPolicy(maxAttempts: config.graph.maxAttempts, slowdownPercent: config.graph.usageSlowdownPercent),
                                 counters: counters, timeout: .seconds(config.graph.timeoutSeconds),
                                 maxBodyBytes: config.graph.maxBodyBytes, jitter: jitter)
        client.appUsage = sharedAppUsage(logger: logger)   // scale-out: one app limit across shards
        var fetcher = PageFetcher(client: client, requests: requests, archive: ports.archive, counters: counters, runID: runID)
        fetcher.maxPages = config.graph.maxPages
        let resolver = WABAResolver(fetcher: fetcher, requests: requests, config: config)
        let extractor = SliceExtractor(fetcher: fetcher, requests: requests, config: config)

        let today = Day(epochSecondsUTC: Int64(ports.clock.now().timeIntervalSince1970))
        let discovery = try await resolver.discover(asOf: today, logger: logger)
        if !discovery.records.isEmpty { try await ports.warehouse.recordRawPages(discovery.records) }
        var entries = discovery.entries
        if entries.isEmpty, let d = config.discover {
            // A nightly job that finds nothing to load is almost always a lost share or a wrong
            // business id, not a quiet night: say so and fail (exit 1) instead of exiting 0.
            throw RuntimeError(failureClass: .terminal, message: """
                discovery found no WABA under business \(d.businessID) (edges: \(d.edges.joined(separator: ", "))) and the pipeline lists none: \
                nothing to load. Fix: check discover.business_id, and that the WABAs are shared with this token's system user
                """)
        }
        if case .backfill(_, _, let only, _, _) = mode, !only.isEmpty {
            entries = only.map { id in discovery.entries.first { $0.id == id } ?? WABAEntry(id: id) }
        }
        entries = shardSelection(entries, logger: logger)   // scale-out: this shard's WABAs only
        let watermarks: [WatermarkKey: String]
        let completed: Set<SliceIdentity>
        let backfillKey: String?
        switch mode {
        case .nightly:
            watermarks = try await ports.warehouse.watermarks(pipeline: config.name)
            completed = []; backfillKey = nil
        case .backfill(let from, let to, let w, let d, let chunk):
            watermarks = [:]
            let key = BackfillKey.make(pipeline: config.name, from: from, to: to, wabas: w, datasets: d, chunkDays: chunk)
            backfillKey = key
            completed = try await ports.warehouse.completedBackfillChunks(backfillKey: key)
            if !completed.isEmpty { logger.info("resuming backfill", metadata: ["backfill_key": "\(key)", "chunks_done": "\(completed.count)"]) }
        }
        let grainChanges = await PricingGrainCheck.run(config: config, warehouse: ports.warehouse, logger: logger)
        events(.planned(wabas: entries.count, slices: entries.count * config.datasetNames.count))

        let limit = max(1, config.graph.maxConcurrency)
        let collected: [WABAResult] = await withTaskGroup(of: WABAResult.self) { group in
            var results: [WABAResult] = []
            for (i, entry) in entries.enumerated() {
                if i >= limit, let r = await group.next() { results.append(r) }
                if interruption.isTriggered { break }
                group.addTask {
                    var log = logger
                    log[metadataKey: "waba"] = "\(entry.id)"
                    return await processWABA(entry, mode: mode, runID: runID, watermarks: watermarks, completed: completed,
                                              backfillKey: backfillKey, resolver: resolver, extractor: extractor,
                                              counters: counters, logger: log)
                }
            }
            for await r in group { results.append(r) }
            return results
        }

        var report = RunReport(runID: runID, verdict: RunVerdict.of(succeeded: 0, failures: []), counters: counters.snapshot)
        report.diagnostics = discovery.diagnostics
        report.shard = shard?.description
        var minDay: Day?, maxDay: Day?
        for r in collected {
            report.loaded += r.loaded
            report.failed += r.failed
            report.skipped += r.skipped
            report.diagnostics += r.diagnostics
            for (slice, _) in r.loaded where slice.dataset != DatasetName.catalog {
                if let s = Day(slice.windowStart) { minDay = min(minDay ?? s, s) }
                if let e = Day(slice.windowEnd) { maxDay = max(maxDay ?? e, e) }
            }
        }
        report.diagnostics = mergeDiagnostics(report.diagnostics + grainChanges)
        if let reason = interruption.reason {
            // Whole slices are kept; transforms and the rest wait for the next run.
            logger.warning("run interrupted: in-flight work finished or rolled back, nothing new started", metadata: ["reason": "\(reason)"])
            report.interruptedBy = reason
            report.verdict = .interrupted
            return report
        }
        if let minDay, let maxDay, !defersTransforms {   // scale-out: a shard leaves them to `mmetl transform`
            do {
                report.transformSeconds = try await ports.warehouse.runTransforms(from: minDay.description, to: maxDay.description)
            } catch {
                logger.error("transforms failed", metadata: ["error": "\(error)"])
                report.failed.append((SliceIdentity(pipeline: config.name, wabaID: "*", dataset: "transforms",
                                                    windowStart: minDay.description, windowEnd: maxDay.description),
                                      "\(error)", (error as? any ClassifiedError)?.failureClass ?? .terminal))
            }
        }
        report.verdict = RunVerdict.of(succeeded: report.loaded.count + report.skipped.count, failures: report.failed.map(\.2))
        return report
    }
}
