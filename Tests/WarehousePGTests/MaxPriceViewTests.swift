import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// Max-price: bid_amount stays raw (per 1,000 deliveries, smallest unit as Meta defines it),
/// max_price_per_delivery is in currency units, and a view puts it beside the actual cost.
@Suite(.serialized) struct MaxPriceViewTests {
    static var currencyFile: URL {
        TestDatabase.repositoryRoot.appendingPathComponent("data/iso4217-minor-units.tsv")
    }

    /// Loads `batch`'s templates as the catalog, then its facts, for 2026-11-02.
    static func loadCatalogThenFacts(_ batch: NormalizedBatch, into h: WarehouseHarness, run: Int64) async throws {
        var catalog = NormalizedBatch()
        catalog.templates = batch.templates
        _ = try await h.load(catalog, dataset: "catalog", window: ("2026-11-02", "2026-11-02"),
                             finalBefore: "2026-10-01", runID: run)
        var facts = batch
        facts.templates = []
        _ = try await h.load(facts, dataset: "templates", window: ("2026-11-02", "2026-11-02"), finalBefore: "2026-10-01", runID: run)
    }

    @Test func maxPricePerDeliveryFollowsMetasUnitsAndSitsBesideTheCost() async throws {
        let h = try WarehouseHarness("wh_maxprice")
        let run = try await h.beginRun()
        var batch = Samples.templates(days: ["2026-11-02"], templates: 4)
        let bids: [(Decimal?, String, String)] = [(5000, "USD", "MAX_PRICE"), (87000, "INR", ""), (150, "MXN", "MAX_PRICE"), (nil, "", "")]
        for i in batch.templates.indices {
            batch.templates[i].bidAmount = bids[i].0
            batch.templates[i].bidCurrency = bids[i].1
            batch.templates[i].bidStrategy = bids[i].2
            batch.templates[i].sendType = "CAMPAIGN"
        }
        for i in batch.templateDaily.indices { batch.templateDaily[i].currency = bids[i].1.isEmpty ? "USD" : bids[i].1 }
        try await Self.loadCatalogThenFacts(batch, into: h, run: run)

        #expect(try h.string("""
            SELECT string_agg(template_id || '=' || coalesce(max_price_per_delivery::numeric(10,4)::text, '-') || '/' || bid_strategy || '/' || send_type, ',' ORDER BY template_id)
            FROM mm.dim_template
            """) == "991000=0.0500/MAX_PRICE/CAMPAIGN,991001=0.8700//CAMPAIGN,991002=0.1500/MAX_PRICE/CAMPAIGN,991003=-//CAMPAIGN")
        #expect(try h.string("SELECT bid_amount::text FROM mm.dim_template WHERE template_id = '991002'") == "150")
        // cost_per_delivered is 0.0123 in every sample row.
        #expect(try h.string("""
            SELECT string_agg(template_id || ' ' || cost_per_delivery::text || ' ' || coalesce(cost_minus_max_price::numeric(10,4)::text, '-'), ',' ORDER BY template_id)
            FROM mm.v_template_max_price_vs_cost WHERE day = '2026-11-02'
            """) == "991000 0.0123 -0.0377,991001 0.0123 -0.8577,991002 0.0123 -0.1377,991003 0.0123 -")
    }

    /// Five days of two templates; template 991000 gets three catalog versions around them:
    /// `a` from 2026-10-31 12:00, `b` from 2026-11-02 00:00 (exactly the end of 2026-11-01's
    /// bucket), `c` from 2026-11-02 18:00.
    static func loadVersionedCatalog(into h: WarehouseHarness, run: Int64) async throws {
        let days = ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"]
        let batch = Samples.templates(days: days, templates: 2)
        var catalog = NormalizedBatch()
        catalog.templates = batch.templates
        _ = try await h.load(catalog, dataset: "catalog", window: ("2026-11-03", "2026-11-03"), finalBefore: "2026-10-01", runID: run)
        var facts = batch
        facts.templates = []
        _ = try await h.load(facts, dataset: "templates", window: ("2026-10-30", "2026-11-03"), finalBefore: "2026-10-01", runID: run)
        try h.connection.execute("""
            DELETE FROM mm.dim_template_version WHERE template_id = '991000';
            INSERT INTO mm.dim_template_version (waba_id, template_id, valid_from, valid_to, is_current, name, language, category,
                                                 status, quality_score)
            SELECT '\(Samples.waba)', '991000', f::timestamptz, t::timestamptz, t IS NULL, n, 'en_US', 'MARKETING', 'APPROVED', 'GREEN'
            FROM (VALUES ('2026-10-31 12:00Z', '2026-11-02 00:00Z', 'a'), ('2026-11-02 00:00Z', '2026-11-02 18:00Z', 'b'),
                         ('2026-11-02 18:00Z', NULL, 'c')) v(f, t, n)
            """)
    }

    /// The version in force at the end of each day, else (before the first snapshot) the first:
    /// the same rows as the per-row look-up the view used to make (kept here as the oracle).
    @Test func eachDayGetsTheVersionInForceAtItsEnd() async throws {
        let h = try WarehouseHarness("wh_maxprice_versions")
        let run = try await h.beginRun()
        try await Self.loadVersionedCatalog(into: h, run: run)
        #expect(try h.string("""
            SELECT string_agg(day || ' ' || template_name, ',' ORDER BY day) FROM mm.v_template_max_price_vs_cost
            WHERE template_id = '991000'
            """) == "2026-10-30 a,2026-10-31 a,2026-11-01 a,2026-11-02 c,2026-11-03 c")
        #expect(try h.string("SELECT count(*) FROM mm.v_template_max_price_vs_cost WHERE template_name = 'summer_sale_1'") == "5")
        let lateral = """
            SELECT f.waba_id, f.template_id, t.name, f.day, t.valid_from FROM mm.fact_template_daily f
            CROSS JOIN LATERAL (
                SELECT v.* FROM mm.dim_template v WHERE v.waba_id = f.waba_id COLLATE "default" AND v.template_id = f.template_id COLLATE "default"
                ORDER BY (v.valid_from < f.bucket_end) DESC, CASE WHEN v.valid_from < f.bucket_end THEN v.valid_from END DESC NULLS LAST, v.valid_from
                LIMIT 1) t
            WHERE f.product = 'mm_api'
            """
        let view = "SELECT waba_id, template_id, template_name, day, template_version_from FROM mm.v_template_max_price_vs_cost"
        #expect(try h.string("SELECT count(*) FROM ((\(lateral) EXCEPT ALL \(view)) UNION ALL (\(view) EXCEPT ALL \(lateral))) d") == "0")
        #expect(try h.string("SELECT count(*) FROM (\(view)) v") == "10")
    }

    /// The view reads the catalog once, not once per fact row (the per-row look-up took 21 s over a
    /// partner's 30 days), and a one-WABA query reads only that WABA's versions: its filter reaches
    /// the catalog (the keys compared in the facts' collation, the WABA pushed into the window).
    @Test func theCatalogIsReadOnceAndFilteredByTheWABA() async throws {
        let h = try WarehouseHarness("wh_maxprice_plan")
        let run = try await h.beginRun()
        try await Self.loadVersionedCatalog(into: h, run: run)
        func catalogScans(_ sql: String) throws -> [[String: Any]] {
            let text = try h.string("EXPLAIN (ANALYZE, FORMAT JSON) \(sql)") ?? "[]"
            var found: [[String: Any]] = []
            func walk(_ node: Any) {
                if let d = node as? [String: Any] {
                    if d["Relation Name"] as? String == "dim_template_version" { found.append(d) }
                    d.values.forEach(walk)
                } else if let a = node as? [Any] { a.forEach(walk) }
            }
            walk(try JSONSerialization.jsonObject(with: Data(text.utf8)))
            return found
        }
        let all = try catalogScans("SELECT * FROM mm.v_template_max_price_vs_cost")
        #expect(!all.isEmpty && all.allSatisfy { $0["Actual Loops"] as? Int == 1 }, "\(all)")
        let one = try catalogScans("SELECT * FROM mm.v_template_max_price_vs_cost WHERE waba_id = '\(Samples.waba)'")
        let conditions = one.map { "\($0["Filter"] ?? "") \($0["Index Cond"] ?? "")" }
        #expect(!one.isEmpty && conditions.allSatisfy { $0.contains(Samples.waba) }, "\(conditions)")
    }

    @Test func theCurrencyTableIsTheDataFile() throws {
        let h = try WarehouseHarness("wh_currency")
        let lines = try String(contentsOf: Self.currencyFile, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("code\t") }
        let file = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).prefix(5).joined(separator: "|") }.sorted()
        let db = try h.rows("""
            SELECT currency || '|' || name || '|' || coalesce(iso_minor_unit::text, '') || '|' || coalesce(bid_minor_unit::text, '')
                   || '|' || meta_billing_currency::text AS line
            FROM mm.dim_currency ORDER BY 1
            """)
        let table = try (0..<db.count).map { try db.string($0, "line") ?? "" }
        #expect(table == file)
        #expect(table.contains("MXN|Mexican Peso|2|0|true") && table.contains("USD|US Dollar|2|2|true") && table.contains("JPY|Yen|0|0|false"))
    }
}
