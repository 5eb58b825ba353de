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

    /// The facts' keys are in the "C" collation, the catalog's in the database's: compared as they
    /// are, the view's look-up of a template's version could not use the catalog's key and read
    /// the whole catalog for every fact row (minutes for a partner's 30 days). With the facts'
    /// keys compared in the catalog's collation it reaches its version by the primary key — even
    /// with sequential scans priced out, the old view had no other way than a scan.
    @Test func theVersionLookupUsesTheCatalogsKey() async throws {
        let h = try WarehouseHarness("wh_maxprice_plan")
        let run = try await h.beginRun()
        let batch = Samples.templates(days: ["2026-11-02"], templates: 4)
        try await Self.loadCatalogThenFacts(batch, into: h, run: run)
        try h.connection.execute("SET enable_seqscan = off")
        defer { try? h.connection.execute("RESET enable_seqscan") }
        let plan = try h.string("EXPLAIN (FORMAT JSON) SELECT * FROM mm.v_template_max_price_vs_cost WHERE day = '2026-11-02'") ?? ""
        #expect(plan.contains("\"Index Name\": \"dim_template_version_pkey\""), "\(plan)")
        #expect(try h.string("SELECT count(*) FROM mm.v_template_max_price_vs_cost WHERE day = '2026-11-02'") == "4")
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
