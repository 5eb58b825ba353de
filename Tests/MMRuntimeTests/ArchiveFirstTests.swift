import Foundation
import MMCore
import MMRuntime
import MMTestSupport
import Synchronization
import Testing

/// Archive first, normalize after: every fetched page is archived and listed before any
/// normalizer reads it, so replay can rebuild exactly the slices a normalizer or a kill broke.
@Suite(.serialized) struct ArchiveFirstTests {
    static let asOf = Day(NightlyRunTests.asOf)!
    static let bookkeeping = ReplayTests.bookkeeping

    /// A template normalizer that throws on the second page it is given.
    static func failingOnSecondPage() -> PageNormalizer {
        let seen = Mutex(0)
        return { body, context in
            let n = seen.withLock { $0 += 1; return $0 }
            if n == 2 { throw NormalizeError(source: context.source, reason: "a normalizer bug on this page") }
            return try TemplateAnalyticsNormalizer.normalize(body, context: context)
        }
    }

    @Test func aNormalizerThatFailsLeavesTheSliceArchivedListedCompleteAndReplayRebuildsIt() async throws {
        let broken = try TestDatabase.migrated(label: "af_broken")
        let reference = try TestDatabase.migrated(label: "af_ref")
        defer { try? broken.drop(); try? reference.drop() }
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 1, templates: 12)) { sim in
            let ref = try RuntimeHarness(sim: sim, db: reference)
            let refConfig = try ref.config(ref.yaml(startDate: (Self.asOf - 20).description))
            #expect(try await ref.engine(refConfig).run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}").verdict.exitCode == 0)

            let h = try RuntimeHarness(sim: sim, db: broken)
            let config = try h.config(h.yaml(startDate: (Self.asOf - 20).description))
            var engine = h.engine(config)
            engine.normalizers.templates = Self.failingOnSecondPage()
            let report = try await engine.run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
            #expect(report.verdict.exitCode == 3)
            #expect(report.failed.map(\.slice.dataset) == ["templates"])
            #expect(report.failed.first?.error.contains("a normalizer bug on this page") == true)
            #expect(try h.scalar("SELECT count(*)::text FROM mm.fact_template_daily") == "0")

            // The failed slice's fetch is complete, every page is in the manifest and on disk.
            let fetch = try broken.connect().query("""
                SELECT f.pages, (SELECT count(*) FROM etl.raw_pages p WHERE p.fetch_id = f.id)
                FROM etl.fetches f WHERE f.dataset = 'templates' AND f.completed_at IS NOT NULL
                """)
            #expect(fetch.count == 1)
            let pages = try #require(try fetch.int64(0, 0))
            let listed = try fetch.int64(0, 1)
            #expect(pages >= 4 && listed == pages)
            for path in try broken.connect().query("SELECT path FROM etl.raw_pages WHERE dataset = 'templates'").map({ try $0.string(0) ?? "" }) {
                #expect(FileManager.default.fileExists(atPath: h.archiveDir + "/" + path), "\(path)")
            }

            // Replay with the working normalizer rebuilds exactly what a healthy run loaded.
            let replay = Replay(config: config, archive: h.archive, warehouse: h.warehouse, clock: h.clock, logger: RuntimeHarness.logger)
            let rebuilt = try await replay.run(from: Self.asOf - 30, to: Self.asOf, wabas: [], datasets: ["templates"], argsJSON: "{}")
            #expect(rebuilt.verdict.exitCode == 0, "\(rebuilt.failed)")
            let expected = try ref.checksum("mm.fact_template_daily", excluding: Self.bookkeeping)
            #expect(try h.checksum("mm.fact_template_daily", excluding: Self.bookkeeping) == expected)
        }
    }

    @Test func aFetchCutShortIsIncompleteAndReplayUsesTheEarlierCompleteOne() async throws {
        let db = try TestDatabase.migrated(label: "af_cut")
        defer { try? db.drop() }
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 1, templates: 12)) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let config = try h.config(h.yaml(startDate: (Self.asOf - 20).description))
            #expect(try await h.engine(config).run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}").verdict.exitCode == 0)
            let complete = try h.checksum("mm.fact_template_daily", excluding: Self.bookkeeping)

            // The same windows again, but the connection dies after the first template page.
            try db.connect().execute("DELETE FROM etl.watermarks")
            let cut = CuttingTransport(inner: h.transport, afterTemplateRequests: 1)
            var engine = RunEngine(config: config, ports: .init(transport: cut, archive: h.archive, warehouse: h.warehouse, clock: h.clock),
                                   token: AccessToken("test-token"), appSecret: nil, logger: RuntimeHarness.logger)
            engine.jitter = { 0.5 }
            let second = try await engine.run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
            #expect(second.failed.map(\.slice.dataset) == ["templates"])
            let incomplete = try db.connect().query("""
                SELECT count(*) FROM etl.fetches f WHERE f.dataset = 'templates' AND f.completed_at IS NULL
                  AND EXISTS (SELECT 1 FROM etl.raw_pages p WHERE p.fetch_id = f.id)
                """)
            #expect(try incomplete.int64(0, 0) == 1)

            try db.connect().execute("TRUNCATE mm.fact_template_daily")
            let replay = Replay(config: config, archive: h.archive, warehouse: h.warehouse, clock: h.clock, logger: RuntimeHarness.logger)
            let r = try await replay.run(from: Self.asOf - 30, to: Self.asOf, wabas: [], datasets: ["templates"], argsJSON: "{}")
            #expect(r.verdict.exitCode == 0 && r.loaded.count == 1, "\(r.failed)")
            #expect(try h.checksum("mm.fact_template_daily", excluding: Self.bookkeeping) == complete)
        }
    }
}

/// Passes requests through until `afterTemplateRequests` template-analytics requests went by, then
/// fails every later one as a dead connection would (no response).
final class CuttingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let limit: Int
    private let seen = Mutex(0)
    init(inner: any HTTPTransport, afterTemplateRequests: Int) { self.inner = inner; self.limit = afterTemplateRequests }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.contains("template_analytics") {
            let n = seen.withLock { $0 += 1; return $0 }
            if n > limit { throw TransportError.connectFailed("connection cut by the test") }
        }
        return try await inner.send(request)
    }
}
