import ArchiveGzip
import Foundation
import MMCore
import MMRuntime
import MMSimulator
import MMTestSupport
import Testing
import WarehousePG

/// The simulator's send log and its API data, both loaded, reconcile within the writer's documented
/// deltas: sent, delivered and read equal per template, day and product (read as of the same as-of).
@Suite("Send log vs simulator API", .serialized)
struct SendLogSimulatorTests {
    static let asOf = "2026-11-24"

    @Test func simulatorSendLogReconcilesWithItsAPIData() async throws {
        let h = try SendLogHarness.make("sendlog_sim")
        defer { h.close() }
        var c = SimulatorHarness.testConfig(asOf: Self.asOf, wabas: 2, templates: 6)
        c.days = 20
        try await withSimulator(c) { sim in
            let rh = try RuntimeHarness(sim: sim, db: h.db)
            let start = Day(Self.asOf)! - 6
            let config = try rh.config(rh.yaml(startDate: start.description))
            let report = try await rh.engine(config).run(.nightly(asOf: Day(Self.asOf)), command: "run", argsJSON: "{}")
            #expect(report.failed.isEmpty)

            let files = try SendLogWriter.write(business: sim.dataset, asOf: Self.asOf, days: 7, to: h.dir, format: .ndjsonGzip)
            let summary = try await h.ingest().load(paths: files, runID: nil)
            #expect(summary.failures.isEmpty && summary.rejected == 0, "\(summary)")
            #expect(summary.records > 1_000)
            // Recipients known only by a business-scoped user id (no phone) load with a hash and a country.
            #expect(try h.scalar("SELECT count(*) FROM sendlog.messages WHERE recipient_hash IS NULL OR recipient_country IS NULL") == "0")

            let range = "day BETWEEN '\(start)' AND '\(Self.asOf)'"
            let both = Int(try h.scalar("SELECT count(*) FROM mm.v_reconciliation WHERE presence = 'both' AND \(range)") ?? "0")!
            #expect(both > 20)
            let off = try h.scalar("""
                SELECT string_agg(template_id || '/' || product || '/' || day || ' ' || sent_delta || ' ' || delivered_delta || ' ' || read_delta, '; ')
                FROM mm.v_reconciliation
                WHERE \(range) AND (presence <> 'both' OR sent_delta <> 0 OR delivered_delta <> 0 OR read_delta <> 0)
                """)
            #expect(off == nil, "deltas: \(off ?? "")")
            #expect(try h.scalar("SELECT count(*) FROM mm.v_reconciliation WHERE \(range) AND is_exception") == "0")
            // Failures: sent − delivered on both sides; US recipients fail with 131049.
            #expect(try h.scalar("SELECT sum(failures) FROM mm.fact_errors WHERE \(range)")
                    == h.scalar("SELECT sum(failed) FROM mm.fact_sends_daily WHERE \(range)"))
            #expect(try h.scalar("SELECT count(*) FROM mm.fact_errors WHERE recipient_country = 'US' AND error_code <> 131049") == "0")
            // Routes: every MM API send carries marketing_lite.
            #expect(try h.scalar("SELECT count(*) FROM sendlog.messages WHERE endpoint = 'marketing_messages' AND route <> 'mm_api'") == "0")
            // Routes vs pricing: delivered MM API messages per WABA and day equal the MARKETING_LITE volume
            // (pricing also holds categories with no send-log line, e.g. GROUP_MARKETING_LITE).
            let mix = try h.scalar("""
                WITH p AS (SELECT waba_id, day, sum(volume) AS v FROM mm.fact_pricing
                           WHERE pricing_category = 'MARKETING_LITE' AND \(range) GROUP BY 1, 2)
                SELECT string_agg(r.waba_id || '/' || r.day || ' ' || r.sendlog_mm_api_delivered || ' ' || coalesce(p.v, 0), '; ')
                FROM mm.v_route_mix r LEFT JOIN p USING (waba_id, day)
                WHERE r.\(range) AND r.sendlog_mm_api_delivered <> coalesce(p.v, 0)
                """)
            #expect(mix == nil, "\(mix ?? "")")
        }
    }
}
