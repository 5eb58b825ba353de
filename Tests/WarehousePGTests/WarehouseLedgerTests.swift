import Foundation
import Logging
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

@Suite(.serialized) struct WarehouseLedgerTests {
    @Test func runsAreBegunAndFinished() async throws {
        let h = try WarehouseHarness("wh_runs")
        let run = try await h.beginRun("backfill")
        try await h.warehouse.finishRun(run, RunOutcome(
            status: "partial", exitCode: 3, apiCalls: 12, throttleWaits: 2, throttleWaitSeconds: 1.5, bytesArchived: 4096,
            rowsLoaded: 77, diagnostics: [Diagnostic(kind: .unknownEnum, subject: "pricing_category", value: "NEW_THING", count: 2)],
            error: "1 slice failed", finishedAt: Samples.fetchTime.addingTimeInterval(60)))
        let row = try h.rows("""
            SELECT command, status, exit_code, api_calls, throttle_waits, throttle_wait_seconds::float8 AS tws, bytes_archived,
                   rows_loaded, diagnostics->0->>'value' AS diag, error, extract(epoch FROM finished_at - started_at)::float8 AS secs
            FROM etl.runs WHERE run_id = $1
            """, [run])
        #expect(try row.string(0, "command") == "backfill" && row.string(0, "status") == "partial")
        #expect(try row.int(0, "exit_code") == 3 && row.int(0, "api_calls") == 12 && row.double(0, "tws") == 1.5)
        #expect(try row.string(0, "diag") == "NEW_THING" && row.double(0, "secs") == 60)
    }

    @Test func aRunRecordsTheVersionOfTheBinaryThatBeganIt() async throws {
        let h = try WarehouseHarness("wh_runs_version")
        let versioned = PGWarehouse(conninfo: h.db.url, logger: Logger(label: "test"),
                                    transformsDirectory: URL(fileURLWithPath: "/nonexistent-mmetl-transforms"), programVersion: "9.8.7 (abc1234)")
        defer { versioned.close() }
        let run = try await versioned.beginRun(RunStart(pipeline: Samples.pipeline, command: "run", argsJSON: "{}", asOf: nil, startedAt: Samples.fetchTime))
        let unversioned = try await h.beginRun()
        #expect(try h.rows("SELECT mmetl_version FROM etl.runs WHERE run_id = $1", [run]).string(0, "mmetl_version") == "9.8.7 (abc1234)")
        #expect(try h.rows("SELECT mmetl_version FROM etl.runs WHERE run_id = $1", [unversioned]).string(0, "mmetl_version") == nil)
        let lines = try PGStatus(connection: h.connection).lastRuns(pipeline: Samples.pipeline)
        #expect(lines.map(\.version) == [nil, "9.8.7 (abc1234)"])
    }

    @Test func watermarksOnlyMoveForward() async throws {
        let h = try WarehouseHarness("wh_wm")
        let run = try await h.beginRun()
        let empty = NormalizedBatch()
        _ = try await h.load(empty, dataset: "pricing", window: ("2026-11-01", "2026-11-10"), finalBefore: "2026-11-03", runID: run,
                             watermark: "2026-11-10")
        _ = try await h.load(empty, dataset: "pricing", window: ("2026-10-01", "2026-10-05"), finalBefore: "2026-11-03", runID: run,
                             watermark: "2026-10-05")
        _ = try await h.load(empty, dataset: "templates", window: ("2026-11-01", "2026-11-08"), finalBefore: "2026-11-03", runID: run,
                             watermark: "2026-11-08")
        let marks = try await h.warehouse.watermarks(pipeline: Samples.pipeline)
        #expect(marks == [WatermarkKey(wabaID: Samples.waba, dataset: "pricing"): "2026-11-10",
                          WatermarkKey(wabaID: Samples.waba, dataset: "templates"): "2026-11-08"])
        #expect(try await h.warehouse.watermarks(pipeline: "other").isEmpty)
        #expect(try h.int("SELECT count(*) FROM etl.run_items WHERE run_id = $1 AND status = 'succeeded'", [run]) == 3)
    }

    @Test func backfillChunksAreRecordedWithTheirSliceAndNeverMoveTheWatermark() async throws {
        let h = try WarehouseHarness("wh_bf")
        let run = try await h.beginRun("backfill")
        let batch = NormalizedBatch(pricing: Samples.pricing(days: ["2026-06-01", "2026-06-02"], perDay: 3))
        _ = try await h.load(batch, dataset: "pricing", window: ("2026-06-01", "2026-06-02"), finalBefore: "2026-11-01", runID: run,
                             backfillKey: "bf-2026-06")
        let chunks = try await h.warehouse.completedBackfillChunks(backfillKey: "bf-2026-06")
        #expect(chunks == [SliceIdentity(pipeline: Samples.pipeline, wabaID: Samples.waba, dataset: "pricing",
                                         windowStart: "2026-06-01", windowEnd: "2026-06-02")])
        #expect(try await h.warehouse.completedBackfillChunks(backfillKey: "other").isEmpty)
        #expect(try h.int("SELECT count(*) FROM etl.watermarks") == 0)
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing WHERE is_final") == 6)
    }

    @Test func failedItemsAreRecordedButDoNotOverwriteASuccess() async throws {
        let h = try WarehouseHarness("wh_failed")
        let run = try await h.beginRun()
        let slice = SliceIdentity(pipeline: Samples.pipeline, wabaID: Samples.waba, dataset: "templates",
                                  windowStart: "2026-11-01", windowEnd: "2026-11-02")
        try await h.warehouse.recordFailedItem(FailedItem(slice: slice, runID: run, error: "rate limited", failureClass: .transient,
                                                          apiCalls: 4, attempts: 3, startedAt: Samples.fetchTime,
                                                          finishedAt: Samples.fetchTime.addingTimeInterval(9)))
        #expect(try h.string("SELECT status || ' ' || error || ' ' || (diagnostics->>'failure_class') FROM etl.run_items") ==
                "failed rate limited transient")
        _ = try await h.load(NormalizedBatch(), dataset: "templates", window: ("2026-11-01", "2026-11-02"), finalBefore: "2026-10-01",
                             runID: run)
        try await h.warehouse.recordFailedItem(FailedItem(slice: slice, runID: run, error: "late", failureClass: .terminal,
                                                          apiCalls: 1, attempts: 1, startedAt: Samples.fetchTime,
                                                          finishedAt: Samples.fetchTime))
        #expect(try h.string("SELECT status || coalesce(error, '') FROM etl.run_items") == "succeeded")
        #expect(try h.int("SELECT extract(epoch FROM fetched_at)::bigint FROM etl.run_items") == Int64(Samples.fetchTime.timeIntervalSince1970))
    }

    @Test func rawPagesRoundTripForReplay() async throws {
        let h = try WarehouseHarness("wh_raw")
        let run = try await h.beginRun()
        func page(_ dataset: String, _ waba: String, _ start: String, _ n: Int, at offset: Double) -> RawPageRecord {
            RawPageRecord(runID: run, dataset: dataset, wabaID: waba, windowStart: start, windowEnd: "2026-11-05", page: n,
                          archived: ArchivedPage(relativePath: "\(dataset)/waba=\(waba)/\(start)/\(run)-\(n)-\(offset).json.gz",
                                                 sha256: String(repeating: "ab", count: 32), rawBytes: 1000 + n, compressedBytes: 100 + n),
                          httpStatus: 200, fetchedAt: Samples.fetchTime.addingTimeInterval(offset))
        }
        let pages = [page("pricing", "1", "2026-11-01", 1, at: 0), page("pricing", "1", "2026-11-01", 2, at: 1),
                     page("templates", "1", "2026-11-01", 1, at: 2), page("pricing", "2", "2026-11-02", 1, at: 3),
                     page("pricing", "1", "2026-10-01", 1, at: 4)]
        try await h.warehouse.recordRawPages(pages)
        try await h.warehouse.recordRawPages(pages)  // idempotent per path
        #expect(try h.int("SELECT count(*) FROM etl.raw_pages") == 5)
        let replay = try await h.warehouse.rawPages(dataset: "pricing", wabaIDs: ["1"], from: "2026-11-01", to: "2026-11-30")
        #expect(replay == [pages[0], pages[1]])
        let all = try await h.warehouse.rawPages(dataset: nil, wabaIDs: [], from: "2026-11-01", to: "2026-11-30")
        #expect(all.count == 4)
    }

    @Test func theRunLockIsHeldForTheRunAndRefusedElsewhere() async throws {
        let h = try WarehouseHarness("wh_runlock")
        #expect(try await h.warehouse.acquireRunLock(pipeline: "nightly", wait: false))
        #expect(try await h.warehouse.acquireRunLock(pipeline: "nightly", wait: false))  // re-entrant for its holder
        let other = h.otherWarehouse()
        defer { other.close() }
        #expect(try await !other.acquireRunLock(pipeline: "nightly", wait: false))
        #expect(try await other.acquireRunLock(pipeline: "backfill", wait: false))
        let waiting = Task { try await other.acquireRunLock(pipeline: "nightly", wait: true) }
        try await Task.sleep(for: .milliseconds(200))
        h.warehouse.releaseRunLock(pipeline: "nightly")
        #expect(try await waiting.value)
    }

    @Test func wabaAndPhonesAreUpsertedOnlyWhenTheyChange() async throws {
        let h = try WarehouseHarness("wh_waba")
        let run = try await h.beginRun()
        var info = WABAInfo(wabaID: Samples.waba, name: "Jasper's Market", currency: "USD", timezoneID: "1",
                            timezone: "America/Los_Angeles", timezoneSource: "table", industry: "retail", country: "de",
                            onboardingStatus: "ONBOARDED", insightsEnabled: true)
        let phones = [PhoneNumberRow(wabaID: Samples.waba, phoneNumberID: "106540352242922", displayPhoneNumber: "+1 555-078-3881",
                                     verifiedName: "Jasper's Market", qualityRating: "GREEN", vertical: "RETAIL")]
        try await h.warehouse.upsertWABA(info, phones: phones, runID: run)
        let digest = try h.digest("mm.dim_waba") + h.digest("mm.dim_phone_number")
        info.insightsEnabled = nil  // not read this time: keeps the known value
        try await h.warehouse.upsertWABA(info, phones: phones, runID: run)
        #expect(try h.digest("mm.dim_waba") + h.digest("mm.dim_phone_number") == digest)
        #expect(try h.string("SELECT country || region || insights_enabled::text FROM mm.dim_waba") == "DEEuropetrue")
        #expect(try h.string("SELECT display_digits FROM mm.dim_phone_number") == "15550783881")
        info.name = "Jasper's Market & Co"
        try await h.warehouse.upsertWABA(info, phones: phones, runID: run)
        #expect(try h.string("SELECT name FROM mm.dim_waba") == "Jasper's Market & Co")
    }

    @Test func catalogSnapshotsKeepTemplateHistory() async throws {
        let h = try WarehouseHarness("wh_scd")
        let run = try await h.beginRun()
        var catalog = NormalizedBatch()
        catalog.templates = Samples.templates(days: [], templates: 3).templates
        let t0 = Samples.fetchTime
        let first = try await h.load(catalog, dataset: "catalog", window: ("2026-11-01", "2026-11-01"), finalBefore: "2026-10-01",
                                     runID: run, fetchedAt: t0)
        #expect(first.inserted == 3 && first.updated == 0)
        let versions = try h.digest("mm.dim_template_version")

        // Same snapshot a day later: no version changes, only last_seen_at moves.
        let t1 = t0.addingTimeInterval(86_400)
        let same = try await h.load(catalog, dataset: "catalog", window: ("2026-11-02", "2026-11-02"), finalBefore: "2026-10-01",
                                    runID: run, fetchedAt: t1)
        #expect(same.unchanged == 3 && same.inserted == 0 && same.updated == 0)
        #expect(try h.digest("mm.dim_template_version") == versions)
        #expect(try h.int("SELECT count(*) FROM mm.dim_template WHERE last_seen_at = to_timestamp($1::float8)", [t1.timeIntervalSince1970]) == 3)

        // Template 1 paused and its max price changed; template 2 is gone from the catalog.
        catalog.templates[1].status = "PAUSED"
        catalog.templates[1].bidAmount = Decimal(string: "0.07")
        catalog.templates.remove(at: 2)
        let t2 = t1.addingTimeInterval(86_400)
        let changed = try await h.load(catalog, dataset: "catalog", window: ("2026-11-03", "2026-11-03"), finalBefore: "2026-10-01",
                                       runID: run, fetchedAt: t2)
        #expect(changed.updated == 1 && changed.inserted == 0 && changed.unchanged == 1)
        let history = try h.rows("""
            SELECT status, bid_amount::text AS bid, is_current, extract(epoch FROM valid_from)::float8 AS vf,
                   extract(epoch FROM valid_to)::float8 AS vt
            FROM mm.dim_template WHERE template_id = '991001' ORDER BY valid_from
            """)
        #expect(history.count == 2)
        #expect(try history.string(0, "status") == "APPROVED" && history.bool(0, "is_current") == false)
        #expect(try history.double(0, "vt") == t2.timeIntervalSince1970 && history.double(1, "vf") == t2.timeIntervalSince1970)
        #expect(try history.string(1, "status") == "PAUSED" && history.string(1, "bid") == "0.07" && history.bool(1, "is_current") == true)
        #expect(try h.int("SELECT count(*) FROM mm.dim_template WHERE template_id = '991002' AND is_current AND last_seen_at = to_timestamp($1::float8)",
                          [t1.timeIntervalSince1970]) == 1)

        // Replaying the first snapshot (an older fetch) rewrites no history.
        let before = try h.digest("mm.dim_template_version")
        var old = NormalizedBatch()
        old.templates = Samples.templates(days: [], templates: 3).templates
        _ = try await h.load(old, dataset: "catalog", window: ("2026-11-01", "2026-11-01"), finalBefore: "2026-10-01", runID: run, fetchedAt: t0)
        #expect(try h.digest("mm.dim_template_version") == before)
    }

    @Test func transformsRunInNameOrderWithTheirRange() async throws {
        let h = try WarehouseHarness("wh_transforms")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmetl-transforms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE mm.t_log (n int, f date, t date);".write(to: folder.appendingPathComponent("10_create.sql"), atomically: true, encoding: .utf8)
        try "INSERT INTO mm.t_log SELECT 2, current_setting('mmetl.from')::date, current_setting('mmetl.to')::date;"
            .write(to: folder.appendingPathComponent("20_insert.sql"), atomically: true, encoding: .utf8)
        try "not sql".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let warehouse = h.otherWarehouse(transforms: folder)
        defer { warehouse.close() }
        try TransformChecksums.register(directory: folder, on: h.connection, logger: nil)   // what `mmetl migrate` does
        let timings = try await warehouse.runTransforms(from: "2026-11-01", to: "2026-11-07")
        #expect(Set(timings.keys) == ["10_create.sql", "20_insert.sql"])
        #expect(try h.string("SELECT n || ' ' || f || ' ' || t FROM mm.t_log") == "2 2026-11-01 2026-11-07")
        #expect(try await h.warehouse.runTransforms(from: "2026-11-01", to: "2026-11-07").isEmpty)  // no directory
    }
}

/// Run liveness: a run that lost its database session (PostgreSQL restarted, connection killed)
/// must not commit slices without its locks; a dead run is found and marked abandoned.
@Suite(.serialized) struct RunLivenessTests {
    @Test func aSliceOfARunWhoseSessionWasLostRollsBackWithATransientError() async throws {
        let h = try WarehouseHarness("wh_alive")
        let run = try await h.beginRun()
        let pricing = NormalizedBatch(pricing: Samples.pricing(days: Samples.days("2026-11-01", "2026-11-03"), perDay: 5))
        _ = try await h.load(pricing, dataset: "pricing", window: ("2026-11-01", "2026-11-03"), finalBefore: "2026-10-01", runID: run)
        let loaded = try h.int("SELECT count(*) FROM mm.fact_pricing")
        #expect(loaded > 0)
        // What a PostgreSQL restart does to the run's own session: it is gone.
        let killed = try h.int("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid = (($1::bigint >> 32) & 4294967295)::oid AND objid = ($1::bigint & 4294967295)::oid
            """, [PGWarehouse.livenessKey(run).rawValue])
        #expect(killed == 1)
        let more = NormalizedBatch(pricing: Samples.pricing(days: Samples.days("2026-11-04", "2026-11-06"), perDay: 5))
        do {
            _ = try await h.load(more, dataset: "pricing", window: ("2026-11-04", "2026-11-06"), finalBefore: "2026-10-01", runID: run)
            Issue.record("a slice committed after its run lost its session")
        } catch let e as RunLivenessLostError {
            #expect(e.failureClass == .transient && e.runID == run)
        }
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == loaded, "nothing of the refused slice stays")
        // The next run finds the dead one and marks it.
        let next = try await h.beginRun()
        #expect(next > run)
        #expect(try h.string("SELECT status FROM etl.runs WHERE run_id = $1", [run]) == "abandoned")
        #expect(try h.string("SELECT status FROM etl.runs WHERE run_id = $1", [next]) == "running")
        #expect(try PGStatus(connection: h.connection).isAlive(next))
        #expect(try !PGStatus(connection: h.connection).isAlive(run))
    }
}
