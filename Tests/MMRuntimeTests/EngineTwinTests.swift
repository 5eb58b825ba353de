import ArchiveGzip
import Foundation
import MMCore
import MMRuntime
import MMSimulator
import MMTestSupport
import Synchronization
import Testing

/// The planner and the slice runner without PostgreSQL or sockets: the in-memory warehouse, the
/// in-memory archive and the simulator answering in-process. Retries, per-slice failures, the
/// verdict and the exit codes, in milliseconds.
@Suite struct EngineTwinTests {
    static let asOf = Day("2026-11-24")!

    struct Twin {
        let graph: InProcessGraph
        let warehouse: InMemoryWarehouse
        let archive = InMemoryArchiveStore()
        let clock = VirtualClock()
        var config: PipelineConfig

        init(wabas: Int = 2, faults: [String] = [], token: String? = nil,
             beforeLoad: (@Sendable (SliceIdentity) async -> Void)? = nil) throws {
            warehouse = InMemoryWarehouse(beforeLoad: beforeLoad)
            var c = SimulatorHarness.testConfig(asOf: EngineTwinTests.asOf.description, wabas: wabas, templates: 12)
            c.faults = try faults.map(FaultSpec.parse)
            c.token = token
            graph = InProcessGraph(config: c)
            config = try PipelineParser.parse("""
                name: twin
                start_date: \(EngineTwinTests.asOf - 9)
                graph: { base_url: "\(graph.baseURL)", api_version: v25.0, token_env: T, max_concurrency: 2, max_wait_seconds: 3600 }
                archive: { dir: /nonexistent }
                datasets:
                  pricing:   { settle_days: 3 }
                  templates: { settle_days: 3 }
                  catalog:   {}
                wabas:
                \(graph.wabaIDs.map { "  - { id: \"\($0)\" }" }.joined(separator: "\n"))
                """, file: "twin.yaml")
        }

        func engine(transport: (any HTTPTransport)? = nil, token: String = "twin-token") -> RunEngine {
            var e = RunEngine(config: config, ports: .init(transport: transport ?? InProcessTransport(graph: graph), archive: archive,
                                                           warehouse: warehouse, clock: clock),
                              token: AccessToken(token), appSecret: nil, logger: RuntimeHarness.logger)
            e.jitter = { 0.5 }
            return e
        }
    }

    @Test func aNightlyRunLoadsEverySliceArchivesFirstAndAdvancesEveryWatermark() async throws {
        let twin = try Twin()
        let report = try await twin.engine().run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
        #expect(report.verdict.exitCode == 0, "\(report.failed)")
        let s = twin.warehouse.snapshot
        #expect(report.loaded.count == 2 * 3 && s.loads.count == 6)
        #expect(s.watermarks["twin"]?.values.allSatisfy { $0 == Self.asOf.description } == true && s.watermarks["twin"]?.count == 6)
        // Every page is archived and listed; every slice's fetch is complete and owns its pages.
        #expect(Set(s.pages.map(\.archived.relativePath)).isSubset(of: Set(twin.archive.storedPaths)))
        #expect(s.fetches.count == 6 && s.fetches.values.allSatisfy(\.complete))
        #expect(s.pages.count == report.counters.pages && s.pages.contains { $0.fetchID != nil })
        // The transforms ran once, over the loaded fact days.
        #expect(s.transforms == [DayWindow(start: Self.asOf - 9, end: Self.asOf)])
        // A second run re-reads the settle window and changes nothing.
        let again = try await twin.engine().run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
        #expect(again.verdict.exitCode == 0 && again.totals.inserted == 0 && again.totals.updated == 0 && again.totals.unchanged > 0)
    }

    /// `max_concurrency` bounds requests in flight, not WABAs: while the first WABAs' slice loads
    /// are held in the warehouse, other WABAs send their requests in the freed slots, and never more
    /// than `max_concurrency` (2 here) are in flight at once.
    @Test func aWABALoadingIntoTheWarehouseLeavesItsRequestSlotToAnother() async throws {
        let gate = Gate()
        let twin = try Twin(wabas: 6, beforeLoad: { _ in await gate.wait() })
        let counting = CountingTransport(inner: InProcessTransport(graph: twin.graph), wabaIDs: twin.graph.wabaIDs)
        let run = Task { try await twin.engine(transport: counting).run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}") }
        // Every load waits at the gate: until it opens, only requests make progress. The wait is long:
        // when every suite runs at once on 2 cores, the run's tasks can wait tens of seconds for a
        // thread of the cooperative pool. With a WABA per request slot, 2 WABAs would be seen, ever.
        let deadline = ContinuousClock.now + .seconds(300)
        while counting.wabasSeen < 4 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let seenWhileLoadsHeld = counting.wabasSeen
        await gate.open()
        let report = try await run.value
        #expect(seenWhileLoadsHeld >= 4, "only \(seenWhileLoadsHeld) WABAs got requests while the first ones were loading")
        #expect(report.verdict.exitCode == 0 && report.failed.isEmpty && report.loaded.count + report.skipped.count == 6 * 3,
                "\(report.failed)")
        #expect(counting.peakInFlight <= 2 && counting.peakInFlight >= 1, "peak in flight \(counting.peakInFlight)")
    }

    @Test func serverErrorsAreRetriedWithBackoffAndTheRunSucceeds() async throws {
        let twin = try Twin(faults: ["5xx:0.2"])
        let report = try await twin.engine().run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
        #expect(report.verdict.exitCode == 0, "\(report.failed)")
        #expect(report.counters.retries > 0 && !twin.clock.sleeps.isEmpty)
    }

    @Test func aRejectedTokenEndsWithExit77() async throws {
        let twin = try Twin(token: "the-right-token")
        let report = try await twin.engine(token: "a-wrong-token").run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
        #expect(report.verdict.exitCode == 77 && report.loaded.isEmpty)
        #expect(report.failed.allSatisfy { $0.failureClass == .auth })
    }

    @Test func oneFailingSliceIsPartialExit3AndIsRecorded() async throws {
        let twin = try Twin()
        let victim = twin.graph.wabaIDs[0]
        let transport = Refusing(inner: InProcessTransport(graph: twin.graph)) { $0.contains("/\(victim)/pricing_analytics") }
        let report = try await twin.engine(transport: transport).run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
        #expect(report.verdict.exitCode == 3)
        #expect(report.failed.map(\.slice.wabaID) == [victim] && report.failed.map(\.slice.dataset) == ["pricing"])
        #expect(report.loaded.count == 5)
        let s = twin.warehouse.snapshot
        #expect(s.failedItems.map(\.slice.dataset) == ["pricing"])
        #expect(s.watermarks["twin"]?[WatermarkKey(wabaID: victim, dataset: "pricing")] == nil)
        // The failed fetch stays incomplete; replay would never use it.
        #expect(s.fetches.values.filter { !$0.complete }.map(\.slice.dataset) == ["pricing"])
    }

    @Test func anInterruptedBackfillResumesWithTheChunksItDidNotFinish() async throws {
        let twin = try Twin(wabas: 1)
        let mode = RunMode.backfill(from: Self.asOf - 20, to: Self.asOf - 1, wabas: [], datasets: ["pricing"], chunkDays: 5)
        let cut = Refusing(inner: InProcessTransport(graph: twin.graph), after: 3) { $0.contains("pricing_analytics") }
        let first = try await twin.engine(transport: cut).run(mode, command: "backfill", argsJSON: "{}")
        #expect(first.verdict.exitCode == 3 && first.loaded.count == 3 && first.failed.count == 1)
        let second = try await twin.engine().run(mode, command: "backfill", argsJSON: "{}")
        #expect(second.verdict.exitCode == 0)
        #expect(second.skipped.count == 3 && second.loaded.count == 1)
        #expect(twin.warehouse.snapshot.chunks.values.first?.count == 4)
    }
}

/// Refuses (as a response too large to take: not retried) requests whose URL matches, optionally
/// only after `after` matching requests went through.
final class Refusing: HTTPTransport {
    let inner: any HTTPTransport
    let after: Int
    let matches: @Sendable (String) -> Bool
    private let seen = Mutex(0)
    init(inner: any HTTPTransport, after: Int = 0, _ matches: @escaping @Sendable (String) -> Bool) {
        self.inner = inner; self.after = after; self.matches = matches
    }
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if matches(request.url), seen.withLock({ $0 += 1; return $0 }) > after { throw TransportError.tooLarge("refused by the test") }
        return try await inner.send(request)
    }
}

/// Holds callers until opened.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
    func open() {
        isOpen = true
        for w in waiters { w.resume() }
        waiters = []
    }
}

/// Counts requests in flight (each held a moment, so overlaps show) and the WABAs they named.
final class CountingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let wabaIDs: [String]
    private let state = Mutex((inFlight: 0, peak: 0, wabas: Set<String>()))
    init(inner: any HTTPTransport, wabaIDs: [String]) { self.inner = inner; self.wabaIDs = wabaIDs }
    var peakInFlight: Int { state.withLock { $0.peak } }
    var wabasSeen: Int { state.withLock { $0.wabas.count } }
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let waba = wabaIDs.first { request.url.contains($0) }
        state.withLock {
            $0.inFlight += 1
            $0.peak = max($0.peak, $0.inFlight)
            if let waba { $0.wabas.insert(waba) }
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        try await Task.sleep(for: .milliseconds(2))
        return try await inner.send(request)
    }
}
