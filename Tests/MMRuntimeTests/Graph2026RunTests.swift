import Foundation
import MMCore
import MMRuntime
import MMTestSupport
import Testing
import WarehousePG

/// A nightly run against the simulator's 2026 surface, end to end into PostgreSQL: a WABA in India
/// (timezone id 71, UTC+05:30) whose business profiles cannot be read, max-price under
/// `optimization_spec`, `REPLIED`, charged service messages from 2026-10-01, then a change of the
/// pricing dimensions.
@Suite(.serialized) struct Graph2026RunTests {
    static let asOf = "2026-10-10"
    static let fullGrain = "COUNTRY,PHONE,PRICING_CATEGORY,PRICING_TYPE,TIER"

    @Test func everyWABALoadsOnItsLocalDaysAndAGrainChangeNeverDoubleCounts() async throws {
        let db = try TestDatabase.migrated(label: "graph2026")
        defer { try? db.drop() }
        var c = SimulatorHarness.testConfig(asOf: Self.asOf, wabas: 5, templates: 8)
        c.days = 30
        try await withSimulator(c) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let start = Day(Self.asOf)! - 14   // 2026-09-26: both sides of 2026-10-01
            let yaml = h.yaml(startDate: start.description)
            let report = try await h.engine(try h.config(yaml)).run(.nightly(asOf: Day(Self.asOf)), command: "run", argsJSON: "{}")
            #expect(report.verdict.exitCode == 0 && report.failed.isEmpty, "\(report.failed)")

            // India: profiles answer code 10, yet every dataset loads, on Kolkata days.
            let india = sim.dataset.wabas[3].id
            #expect(report.diagnostics.contains { $0.kind == .optionalCallFailed && $0.subject.contains(india) })
            #expect(try h.scalar("SELECT timezone || '/' || timezone_source FROM mm.dim_waba WHERE waba_id = '\(india)'") == "Asia/Kolkata/table")
            for table in ["mm.fact_pricing", "mm.fact_template_daily", "mm.dim_template_version"] {
                #expect(try Int(h.scalar("SELECT count(*) FROM \(table) WHERE waba_id = '\(india)'") ?? "0")! > 0, "\(table)")
            }
            #expect(try h.scalar("""
                SELECT count(*) FROM mm.fact_pricing
                WHERE waba_id = '\(india)' AND (waba_timezone <> 'Asia/Kolkata' OR bucket_start AT TIME ZONE 'Asia/Kolkata' <> day::timestamp)
                """) == "0")
            #expect(try h.scalar("SELECT count(*) FROM mm.fact_pricing WHERE waba_id = '\(india)' AND to_char(bucket_start AT TIME ZONE 'UTC', 'HH24:MI') <> '18:30'") == "0")

            // Max-price in currency units; REPLIED as a column, never a conversion.
            #expect(try Int(h.scalar("SELECT count(*) FROM mm.dim_template WHERE bid_amount IS NOT NULL") ?? "0")! > 0)
            #expect(try h.scalar("SELECT count(*) FROM mm.dim_template WHERE bid_amount IS NOT NULL AND max_price_per_delivery NOT IN (0.05, 0.08, 0.12)") == "0")
            #expect(try Int(h.scalar("SELECT count(*) FROM mm.v_template_max_price_vs_cost WHERE max_price_per_delivery IS NOT NULL AND cost_per_delivery IS NOT NULL") ?? "0")! > 0)
            #expect(try h.scalar("SELECT count(*) FROM mm.fact_template_daily WHERE replied IS DISTINCT FROM read / 6") == "0")
            #expect(try h.scalar("SELECT count(*) FROM mm.fact_conversions WHERE metric = 'replied'") == "0")

            // Service in the customer-service window: free before 2026-10-01, charged from it; NULL only on a credit line.
            let credit = sim.dataset.wabas.filter(\.onCreditLine).map { "'\($0.id)'" }.joined(separator: ",")
            #expect(try h.scalar("SELECT count(*) FROM mm.fact_pricing WHERE waba_id IN (\(credit)) AND cost IS NOT NULL") == "0")
            #expect(try h.scalar("SELECT count(*) FROM mm.fact_pricing WHERE waba_id NOT IN (\(credit)) AND cost IS NULL") == "0")
            #expect(try h.scalar("""
                SELECT count(*) FROM mm.fact_pricing WHERE waba_id NOT IN (\(credit)) AND pricing_type = 'FREE_CUSTOMER_SERVICE'
                  AND (cost > 0) <> (day >= '2026-10-01')
                """) == "0")
            #expect(try Int(h.scalar("SELECT count(*) FROM mm.fact_pricing WHERE pricing_type = 'FREE_CUSTOMER_SERVICE' AND cost > 0") ?? "0")! > 0)

            // The pricing dimensions change: both grains are kept, the run says what to do, the views sum one.
            let narrower = yaml.replacingOccurrences(of: "dimensions: [PRICING_CATEGORY, PRICING_TYPE, COUNTRY, PHONE, TIER]",
                                                     with: "dimensions: [PRICING_CATEGORY, COUNTRY]")
            let second = try await h.engine(try h.config(narrower)).run(.nightly(asOf: Day(Self.asOf)), command: "run", argsJSON: "{}")
            #expect(second.verdict.exitCode == 0, "\(second.failed)")
            #expect(second.diagnostics.filter { $0.kind == .pricingGrainChanged }.count == sim.wabaIDs.count)
            #expect(try h.scalar("SELECT string_agg(DISTINCT dimensions, ' ' ORDER BY dimensions) FROM mm.fact_pricing")
                    == "COUNTRY,PHONE,PRICING_CATEGORY,PRICING_TYPE,TIER COUNTRY,PRICING_CATEGORY")
            #expect(try h.scalar("""
                SELECT count(*) FROM (SELECT waba_id, day, sum(volume) v FROM mm.v_pricing GROUP BY 1, 2) a
                FULL JOIN (SELECT waba_id, day, sum(volume) v FROM mm.fact_pricing WHERE dimensions = '\(Self.fullGrain)' GROUP BY 1, 2) b
                  USING (waba_id, day)
                WHERE a.v IS DISTINCT FROM b.v
                """) == "0")
            #expect(try h.scalar("SELECT count(*) FROM mm.v_pricing WHERE day = '\(Self.asOf)' AND dimensions <> 'COUNTRY,PRICING_CATEGORY'") == "0")
            let grains = try await h.warehouse.loadedPricingGrains(granularity: "DAILY")
            #expect(Set(grains.map(\.grain)) == ["COUNTRY,PRICING_CATEGORY"])
        }
    }
}
