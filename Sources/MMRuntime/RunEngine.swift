import Foundation
import Logging
import MMCore

/// Runs the nightly job or a backfill: resolves the WABAs, fans them out (twice `max_concurrency`
/// in progress, at most `max_concurrency` requests in flight: `RequestSlots`), plans each WABA's
/// slices with `SlicePlanner` and hands each
/// planned slice to the `SliceRunner`. A failing WABA or slice never stops the others; every
/// outcome lands in the ledger (`RunLedger`); the verdict maps to the exit codes.
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
    /// The page normalizers (the standard ones; tests swap one in).
    public var normalizers = PageNormalizers()
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

    public typealias Mode = RunMode

    /// Runs the nightly job or a backfill. `command`/`argsJSON` go to `etl.runs`.
    public func run(_ mode: RunMode, command: String, argsJSON: String) async throws -> RunReport {
        var ledger = RunLedger(pipeline: config.name, warehouse: ports.warehouse, clock: ports.clock, interruption: interruption)
        ledger.shard = shard?.description
        ledger.runsTransforms = !defersTransforms   // scale-out: a shard leaves them to `mmetl transform`
        let counters = RunCounters(waitBudget: .seconds(config.graph.maxWaitSeconds))
        return try await ledger.run(command: command, argsJSON: argsJSON, asOf: mode.asOfText, counters: counters, logger: logger) { scope in
            try await execute(mode, scope: scope)
        }
    }

    /// The stages of one run, wired for its run id.
    struct Stages: Sendable {
        var resolver: WABAResolver
        var runner: SliceRunner
        var counters: RunCounters
        var runID: Int64
    }

    private func stages(_ scope: RunLedger.Scope) -> Stages {
        var requests = GraphRequests(baseURL: config.graph.baseURL, apiVersion: config.graph.apiVersion, pageSize: config.graph.pageSize)
        if let secret = appSecret, !secret.isEmpty { requests.appSecretProof = token.appSecretProof(appSecret: secret) }
        var client = GraphClient(transport: ports.transport, token: token, clock: ports.clock,
                                 policy: RetryPolicy(maxAttempts: config.graph.maxAttempts, slowdownPercent: config.graph.usageSlowdownPercent),
                                 counters: scope.counters, timeout: .seconds(config.graph.timeoutSeconds),
                                 maxBodyBytes: config.graph.maxBodyBytes, jitter: jitter)
        client.appUsage = sharedAppUsage(logger: scope.logger)   // scale-out: one app limit across shards
        client.slots = RequestSlots(limit: config.graph.maxConcurrency)
        var fetcher = PageFetcher(client: client, requests: requests, archive: ports.archive, manifest: ports.warehouse,
                                  counters: scope.counters, runID: scope.runID)
        fetcher.maxPages = config.graph.maxPages
        let extractor = SliceExtractor(fetcher: fetcher, requests: requests, config: config)
        let loader = SliceLoader(archive: ports.archive, warehouse: ports.warehouse, runID: scope.runID, normalizers: normalizers)
        return Stages(resolver: WABAResolver(fetcher: fetcher, requests: requests, config: config),
                      runner: SliceRunner(extractor: extractor, loader: loader, warehouse: ports.warehouse, clock: ports.clock,
                                          pipeline: config.name),
                      counters: scope.counters, runID: scope.runID)
    }

    private func execute(_ mode: RunMode, scope: RunLedger.Scope) async throws -> RunReport {
        let logger = scope.logger
        let stages = stages(scope)
        let discovery = try await stages.resolver.discover(asOf: RunDay.utc(ports.clock), logger: logger)
        var entries = discovery.entries
        if entries.isEmpty, let d = config.discover {
            // A nightly job that finds nothing to load is almost always a lost share or a wrong
            // business id, not a quiet night: say so and fail (exit 1) instead of exiting 0.
            throw RuntimeError(failureClass: .terminal, message: """
                discovery found no WABA under business \(d.businessID) (edges: \(d.edges.joined(separator: ", "))) and the pipeline lists none: \
                nothing to load. Fix: check discover.business_id, and that the WABAs are shared with this token's system user
                """)
        }
        if !mode.onlyWABAs.isEmpty {
            entries = mode.onlyWABAs.map { id in discovery.entries.first { $0.id == id } ?? WABAEntry(id: id) }
        }
        entries = shardSelection(entries, logger: logger)   // scale-out: this shard's WABAs only
        let ledger = try await ledgerState(mode, logger: logger)
        let grainChanges = await PricingGrainCheck.run(config: config, warehouse: ports.warehouse, logger: logger)
        events(.planned(wabas: entries.count, slices: entries.count * SlicePlanner.datasets(config, mode: mode).count))

        let limit = Self.wabasInProgress(maxConcurrency: config.graph.maxConcurrency)
        let collected: [WABAResult] = await withTaskGroup(of: WABAResult.self) { group in
            var results: [WABAResult] = []
            for (i, entry) in entries.enumerated() {
                if i >= limit, let r = await group.next() { results.append(r) }
                if interruption.isTriggered { break }
                group.addTask {
                    var log = logger
                    log[metadataKey: "waba"] = "\(entry.id)"
                    return await processWABA(entry, mode: mode, ledger: ledger, stages: stages, logger: log)
                }
            }
            for await r in group { results.append(r) }
            return results
        }

        var report = RunReport(runID: scope.runID, verdict: RunVerdict.of(succeeded: 0, failures: []), counters: scope.counters.snapshot)
        report.diagnostics = discovery.diagnostics + grainChanges
        report.shard = shard?.description
        for r in collected {
            report.loaded += r.loaded
            report.failed += r.failed
            report.skipped += r.skipped
            report.diagnostics += r.diagnostics
        }
        return report
    }

    /// WABAs in progress at once: twice `max_concurrency`, so that while a WABA archives, records or
    /// loads (no request in flight) another has a request ready for its slot. Requests in flight stay
    /// at most `max_concurrency` (`RequestSlots`).
    static func wabasInProgress(maxConcurrency: Int) -> Int { 2 * max(1, maxConcurrency) }

    /// What the planner needs from the ledger: watermarks (nightly) or completed chunks (backfill).
    private func ledgerState(_ mode: RunMode, logger: Logger) async throws -> SlicePlanner.Ledger {
        switch SlicePlanner.ledgerInput(config, mode: mode) {
        case .watermarks:
            return SlicePlanner.Ledger(watermarks: try await ports.warehouse.watermarks(pipeline: config.name))
        case .completedChunks(let key):
            let done = try await ports.warehouse.completedBackfillChunks(backfillKey: key)
            if !done.isEmpty { logger.info("resuming backfill", metadata: ["backfill_key": "\(key)", "chunks_done": "\(done.count)"]) }
            return SlicePlanner.Ledger(completedChunks: done)
        }
    }
}

/// "Today", computed in one place: the run's UTC day (before a WABA's timezone is known: discovery
/// and WABA fields, for their archive folders) and each WABA's own local day (for planning).
enum RunDay {
    static func utc(_ clock: any RuntimeClock) -> Day {
        Day(epochSecondsUTC: Int64(clock.now().timeIntervalSince1970))
    }

    static func local(_ clock: any RuntimeClock, timezone: String) -> Day {
        TimeZones.localDay(epochSeconds: Int64(clock.now().timeIntervalSince1970), in: timezone)
    }
}
