import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// The analyst layer's definitions, each against numbers computed by hand. Days D1 = 2026-11-22,
/// D2 = 2026-11-23; as-of 2026-11-24.
///
/// WABAs: wBR (BR: clicks and conversions measured), wDE (DE: MM API clicks and conversions not
/// measured), wPH (no country; its phone +49 151… makes it DE), wNA (country unknown: measured).
/// API (sent/delivered/read/url clicks, spend):
///   wBR t1 mm_api    D1 10/8/6/2 0.80   D2 4/2/1/1 no cost    t1 cloud_api D2 20/16/8/4 2.00
///   wDE t2 mm_api    D2 100/90/60/0 9.00                      t2 cloud_api D2 50/40/20/3
///   wPH t3 mm_api    D2 10/10/5/0     wNA t4 mm_api D2 10/10/5/1
/// Conversions: wBR t1 mm_api D1 add to cart 3, checkouts 2, website + app purchases 1 + 1 worth
/// 100; D2 purchases 3 worth 60. wDE t2 mm_api D2 purchases 0.
/// Send log: wBR t1 D2 7 messages via /marketing_messages carried by Cloud API, 7 delivered, 3 read.
/// The views read the transforms' output (mm.fact_template_performance_daily), so the seed runs them.
/// Pricing: wBR D1 mm_api 8 (0.80, final); D2 cloud_api 16 (2.00), mm_api 8 (0.80) + 2 (no cost).
@Suite("Analyst views and queries (PostgreSQL)", .serialized)
struct AnalystViewsTests {
    static func seed(_ t: SendLogTestDB) throws {
        for table in ["mm.fact_template_daily", "mm.fact_conversions", "mm.fact_pricing"] {
            try t.conn.execute("SELECT etl.ensure_month_partitions('\(table)', '2026-10-01', '2026-11-30')")
        }
        let api = """
            INSERT INTO mm.fact_template_daily (waba_id, template_id, product, day, product_type, bucket_start, bucket_end,
                sent, delivered, read, url_clicks, unique_url_clicks, quick_reply_clicks, amount_spent, currency,
                waba_timezone, run_id, first_fetched_at, last_fetched_at)
            SELECT w, t, p, d::date, p, d::date, d::date + 1, s, dl, r, c, c, 0, a, cur, 'UTC', 1, now(), now()
            FROM (VALUES
                ('wBR', 't1', 'mm_api', '2026-11-22', 10, 8, 6, 2, 0.80, 'BRL'),
                ('wBR', 't1', 'mm_api', '2026-11-23', 4, 2, 1, 1, NULL, 'BRL'),
                ('wBR', 't1', 'cloud_api', '2026-11-23', 20, 16, 8, 4, 2.00, 'BRL'),
                ('wDE', 't2', 'mm_api', '2026-11-23', 100, 90, 60, 0, 9.00, 'EUR'),
                ('wDE', 't2', 'cloud_api', '2026-11-23', 50, 40, 20, 3, NULL, 'EUR'),
                ('wPH', 't3', 'mm_api', '2026-11-23', 10, 10, 5, 0, NULL, 'EUR'),
                ('wNA', 't4', 'mm_api', '2026-11-23', 10, 10, 5, 1, NULL, 'USD')
            ) v(w, t, p, d, s, dl, r, c, a, cur)
            """
        try t.conn.execute("""
            INSERT INTO mm.dim_waba (waba_id, country, currency) VALUES ('wBR', 'BR', 'BRL'), ('wDE', 'DE', 'EUR'),
                ('wPH', '', 'EUR'), ('wNA', '', 'USD');
            INSERT INTO mm.dim_phone_number (waba_id, phone_number_id, display_phone_number) VALUES ('wPH', 'p1', '+49 151 1234567');
            \(api);
            INSERT INTO mm.fact_conversions (waba_id, template_id, product, day, metric, value, currency, run_id, first_fetched_at, last_fetched_at)
            SELECT w, t, 'mm_api', d::date, m, v, 'BRL', 1, now(), now()
            FROM (VALUES ('wBR', 't1', '2026-11-22', 'website_add_to_cart', 3), ('wBR', 't1', '2026-11-22', 'website_checkouts_initiated', 2),
                         ('wBR', 't1', '2026-11-22', 'website_purchases', 1), ('wBR', 't1', '2026-11-22', 'app_purchases', 1),
                         ('wBR', 't1', '2026-11-22', 'website_purchases_conversion_value', 100),
                         ('wBR', 't1', '2026-11-23', 'website_purchases', 3), ('wBR', 't1', '2026-11-23', 'website_purchases_conversion_value', 60),
                         ('wDE', 't2', '2026-11-23', 'website_purchases', 0)) v(w, t, d, m, v);
            INSERT INTO mm.fact_pricing (waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type,
                tier, day, bucket_end, product, volume, cost, currency, waba_timezone, run_id, first_fetched_at, last_fetched_at, is_final)
            SELECT 'wBR', 'DAILY', d::timestamptz, '', c, cat, 'REGULAR', tier, d::date, d::timestamptz + interval '1 day', p, v, cost, 'BRL', 'UTC', 1, now(), now(), f
            FROM (VALUES ('2026-11-22', 'BR', 'MARKETING_LITE', '', 'mm_api', 8, 0.80, true),
                         ('2026-11-23', 'BR', 'MARKETING', '', 'cloud_api', 16, 2.00, false),
                         ('2026-11-23', 'BR', 'MARKETING_LITE', '', 'mm_api', 8, 0.80, false),
                         ('2026-11-23', 'AR', 'MARKETING_LITE', '', 'mm_api', 2, NULL, false)) v(d, c, cat, tier, p, v, cost, f);
            SET mmetl.as_of = '2026-11-24';
            """)
        let at = 1_795_964_400  // 2026-11-23T15:00:00Z
        var lines: [String] = []
        for i in 0..<7 {
            lines.append(Lines.send("r\(i)", at: "2026-11-23T15:00:00Z", waba: "wBR", phone: "p", template: "t1"))
            lines.append(Lines.webhook("r\(i)", "sent", epoch: at + 1, waba: "wBR", phone: "p", category: "marketing"))
            lines.append(Lines.flat("r\(i)", "delivered", epoch: at + 5, waba: "wBR", phone: "p", category: "marketing"))
            if i < 3 { lines.append(Lines.flat("r\(i)", "read", epoch: at + 50, waba: "wBR", phone: "p")) }
        }
        try t.load(lines)
        try t.transform("2026-11-22", "2026-11-23")
    }

    static func perf(_ t: SendLogTestDB, _ waba: String, _ product: String, _ day: String, _ columns: String) throws -> [String?] {
        try t.rows("SELECT \(columns) FROM mm.v_template_performance WHERE waba_id = '\(waba)' AND product = '\(product)' AND day = '\(day)'").first ?? []
    }

    static func query(_ t: SendLogTestDB, _ file: String) throws -> [[String: String?]] {
        let sql = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("sql/queries/\(file)"), encoding: .utf8)
        let r = try t.conn.query(sql)
        return try (0..<r.count).map { i in
            Dictionary(uniqueKeysWithValues: try r.columns.enumerated().map { ($0.element, try r.string(i, $0.offset)) })
        }
    }

    @Test func eachConversionColumnIsOneMetric() throws {
        let t = try SendLogTestDB.make("av_conversions")
        defer { t.close() }
        try Self.seed(t)
        // No sum of different events (add to cart + checkouts + purchases would count a buyer 3 times).
        #expect(try t.scalar("""
            SELECT count(*) FROM information_schema.columns
            WHERE table_schema = 'mm' AND table_name = 'v_template_performance' AND column_name IN ('conversions', 'conversion_rate')
            """) == "0")
        #expect(try Self.perf(t, "wBR", "mm_api", "2026-11-22", "purchases, add_to_cart, checkouts_initiated, purchase_value, purchase_rate::float8")
                == ["2", "3", "2", "100", "0.25"])
    }

    @Test func notMeasuredReadsNullNotZero() throws {
        let t = try SendLogTestDB.make("av_measured")
        defer { t.close() }
        try Self.seed(t)
        let cols = "business_country, clicks_measured::text, conversions_measured::text, url_clicks, click_rate::float8, purchases, cost_per_url_click"
        #expect(try Self.perf(t, "wDE", "mm_api", "2026-11-23", cols) == ["DE", "false", "false", nil, nil, nil, nil])
        #expect(try Self.perf(t, "wDE", "cloud_api", "2026-11-23", cols) == ["DE", "true", "false", "3", "0.075", nil, nil])
        #expect(try Self.perf(t, "wPH", "mm_api", "2026-11-23", cols) == ["DE", "false", "false", nil, nil, nil, nil])
        #expect(try Self.perf(t, "wNA", "mm_api", "2026-11-23", cols) == [nil, "true", "true", "1", "0.1", nil, nil])
        #expect(try Self.perf(t, "wBR", "cloud_api", "2026-11-23", "conversions_measured::text, purchases, read_rate::float8")
                == ["false", nil, "0.5"])
        #expect(try t.rows("SELECT waba_id, business_country, business_country_source FROM mm.v_waba ORDER BY 1")
                == [["wBR", "BR", "pipeline"], ["wDE", "DE", "pipeline"], ["wNA", nil, nil], ["wPH", "DE", "phone_numbers"]])
    }

    @Test func costPerPurchaseComparesLikeWithLike() throws {
        let t = try SendLogTestDB.make("av_cpp")
        defer { t.close() }
        try Self.seed(t)
        // D2 has 3 purchases but no cost: left out of both sides (not 0.80 / 5 = 0.16, ROAS 200).
        let rows = try Self.query(t, "04_cost_per_purchase_by_template.sql")
        #expect(rows.count == 1)
        let r = try #require(rows.first)
        #expect(r["template_id"] == "t1" && r["product"] == "mm_api")
        #expect(r["cost_per_purchase"] == "0.4000" && r["roas"] == "125.00")
        #expect(r["days_compared"] == "1" && r["days_left_out"] == "1" && r["purchases_left_out"] == "3")
    }

    @Test func routeWithoutRowsIsZeroPercent() throws {
        let t = try SendLogTestDB.make("av_route")
        defer { t.close() }
        try Self.seed(t)
        // wBR D2: the send log has only Cloud API messages; pricing has both routes.
        #expect(try t.rows("""
            SELECT sendlog_mm_api::text, sendlog_cloud_api::text, sendlog_mm_api_share::float8::text, sendlog_fallback_share::float8::text,
                   pricing_mm_api::text, round(pricing_mm_api_share, 4)::text
            FROM mm.v_route_mix WHERE waba_id = 'wBR' AND day = '2026-11-23'
            """) == [["0", "7", "0", "1", "10", "0.3846"]])
        // wBR D1: no send log at all → no share (NULL), pricing only MM API → 1.
        #expect(try t.rows("SELECT sendlog_mm_api_share::text, pricing_mm_api_share::float8::text FROM mm.v_route_mix WHERE waba_id = 'wBR' AND day = '2026-11-22'")
                == [[nil, "1"]])
        #expect(try Self.perf(t, "wBR", "cloud_api", "2026-11-23", "sendlog_sent") == ["7"])
    }

    @Test func funnelIsPerProductWithMeasuredFlags() throws {
        let t = try SendLogTestDB.make("av_funnel")
        defer { t.close() }
        try Self.seed(t)
        let rows = try Self.query(t, "07_conversion_funnel_by_template.sql")
        let key = { (r: [String: String?]) in "\(r["waba_id"]!!)/\(r["product"]!!)" }
        let by = Dictionary(uniqueKeysWithValues: rows.map { (key($0), $0) })
        let mm = try #require(by["wBR/mm_api"])
        #expect(mm["conversions_measured"] == "t" && mm["sent"] == "14" && mm["purchases"] == "5" && mm["add_to_cart"] == "3")
        #expect(mm["checkout_of_cart_pct"] == "66.7" && mm["purchase_of_delivered_pct"] == "50.00")
        let cloud = try #require(by["wBR/cloud_api"])
        #expect(cloud["conversions_measured"] == "f" && cloud["purchases"] == .some(nil) && cloud["cart_of_click_pct"] == .some(nil))
        #expect(cloud["clicks"] == "4")
        let de = try #require(by["wDE/mm_api"])
        #expect(de["clicks_measured"] == "f" && de["clicks"] == .some(nil) && de["click_of_read_pct"] == .some(nil))
        #expect(rows.first.map(key) == "wBR/mm_api")
    }

    @Test func rollupsAreRatiosOfSums() throws {
        let t = try SendLogTestDB.make("av_rollups")
        defer { t.close() }
        try Self.seed(t)
        // read 7 of 10 = .7 (the mean of the daily rates .75 and .5 would be .625); the cost per
        // delivery uses the 8 deliveries of the day with a cost; cost per purchase the comparable D1.
        #expect(try t.rows("""
            SELECT days::text, sent::text, read_rate::float8::text, click_rate::float8::text, cost_per_delivered::float8::text,
                   days_without_cost::text, purchases::text, purchase_rate::float8::text, comparable_days::text,
                   cost_per_purchase::float8::text, roas::float8::text
            FROM mm.template_performance('2026-11-22', '2026-11-23') WHERE waba_id = 'wBR' AND product = 'mm_api'
            """) == [["2", "14", "0.7", "0.3", "0.1", "1", "5", "0.5", "1", "0.4", "125"]])
        #expect(try t.rows("SELECT waba_id, product, sent::text FROM mm.template_performance('2026-11-22', '2026-11-23', 'wBR') ORDER BY product")
                == [["wBR", "cloud_api", "20"], ["wBR", "mm_api", "14"]])
        // Spend per day: 0.80 over the 8 priced deliveries (the 2 without cost are left out).
        #expect(try t.rows("""
            SELECT product, volume::text, cost::text, cost_per_delivered::float8::text, rows_without_cost::text
            FROM mm.v_spend_daily WHERE waba_id = 'wBR' AND day = '2026-11-23' ORDER BY product
            """) == [["cloud_api", "16", "2.00", "0.125", "0"], ["mm_api", "10", "0.80", "0.1", "1"]])
        #expect(try t.rows("SELECT recipient_country, sum(volume)::text FROM mm.v_pricing WHERE day = '2026-11-23' GROUP BY 1 ORDER BY 1")
                == [["AR", "2"], ["BR", "24"]])
    }

    /// `mm.template_performance` sums the fact first and joins the flags and names per group; its
    /// rows are those of summing `mm.v_template_performance` row by row (its first definition, kept
    /// here as the oracle), compared as text (values and their scale) over the seed's cases:
    /// clicks and conversions not measured, days without cost, days without conversions.
    @Test func templatePerformanceIsTheSumOfTheView() throws {
        let t = try SendLogTestDB.make("av_tp_oracle")
        defer { t.close() }
        try Self.seed(t)
        let oracle = """
            SELECT p.waba_id, p.template_id, max(p.template_name), max(p.template_category), p.product, p.currency,
                   count(*), bool_and(p.clicks_measured), bool_and(p.conversions_measured),
                   sum(p.sent), sum(p.delivered), sum(p.read), sum(p.url_clicks),
                   sum(p.delivered) / nullif(sum(p.sent), 0), sum(p.read) / nullif(sum(p.delivered), 0),
                   sum(p.url_clicks) / nullif(sum(p.delivered) FILTER (WHERE p.url_clicks IS NOT NULL), 0),
                   sum(p.amount_spent), count(*) FILTER (WHERE p.amount_spent IS NULL),
                   sum(p.amount_spent) / nullif(sum(p.delivered) FILTER (WHERE p.amount_spent IS NOT NULL), 0),
                   sum(p.purchases), sum(p.purchase_value), sum(p.add_to_cart), sum(p.checkouts_initiated),
                   sum(p.purchases) / nullif(sum(p.delivered) FILTER (WHERE p.purchases IS NOT NULL), 0),
                   count(*) FILTER (WHERE p.amount_spent IS NOT NULL AND p.purchases IS NOT NULL),
                   sum(p.amount_spent) FILTER (WHERE p.purchases IS NOT NULL)
                       / nullif(sum(p.purchases) FILTER (WHERE p.amount_spent IS NOT NULL), 0),
                   sum(p.purchase_value) FILTER (WHERE p.amount_spent IS NOT NULL)
                       / nullif(sum(p.amount_spent) FILTER (WHERE p.purchases IS NOT NULL), 0),
                   sum(p.sendlog_sent), sum(p.sendlog_failed), bool_and(p.is_final)
            FROM mm.v_template_performance p
            WHERE p.day BETWEEN '2026-11-22' AND '2026-11-23' AND (%W% IS NULL OR p.waba_id = %W%)
            GROUP BY p.waba_id, p.template_id, p.product, p.currency
            """
        for waba in ["NULL", "'wBR'", "'wDE'"] {
            let old = oracle.replacingOccurrences(of: "%W%", with: waba)
            let new = "SELECT * FROM mm.template_performance('2026-11-22', '2026-11-23', \(waba))"
            let rows = try t.rows("SELECT o::text FROM (\(old)) o ORDER BY 1").map { $0[0] ?? "" }
            #expect(try t.rows("SELECT n::text FROM (\(new)) n ORDER BY 1").map { $0[0] ?? "" } == rows, "\(waba)")
            #expect(!rows.isEmpty)
        }
        // The seed's cases are all there: a group whose conversions are not measured, one with a day without cost.
        #expect(try t.rows("""
            SELECT count(*) FILTER (WHERE NOT conversions_measured)::text, count(*) FILTER (WHERE days_without_cost > 0)::text,
                   count(*) FILTER (WHERE purchases IS NOT NULL)::text
            FROM mm.template_performance('2026-11-22', '2026-11-23')
            """) == [["4", "4", "1"]])
    }

    @Test func aDateFilterPrunesEveryFact() throws {
        let t = try SendLogTestDB.make("av_prune")
        defer { t.close() }
        try Self.seed(t)
        try t.transform("2026-10-31", "2026-11-23")  // a partition for October too
        for sql in ["SELECT * FROM mm.v_template_performance WHERE day BETWEEN '2026-11-01' AND '2026-11-30'",
                    "SELECT * FROM mm.template_performance('2026-11-01', '2026-11-30')",
                    "SELECT * FROM mm.template_performance('2026-11-01', '2026-11-30', 'wBR')",
                    "SELECT * FROM mm.v_route_mix WHERE waba_id = 'wBR' AND day >= '2026-11-01'",
                    "SELECT * FROM mm.v_reconciliation WHERE day >= '2026-11-01'"] {
            let plan = try t.rows("EXPLAIN (COSTS OFF) " + sql).map { $0[0] ?? "" }.joined(separator: "\n")
            #expect(plan.contains("_p202611"), "\(sql)")
            #expect(!plan.contains("_p202610"), "\(sql)\n\(plan)")
        }
    }

    static let revisedKey = #"{"day": "2026-11-22", "product": "mm_api", "waba_id": "wBR", "template_id": "t1"}"#

    @Test func freshnessAndRevisionsForTheAnalystRole() throws {
        let t = try SendLogTestDB.make("av_fresh")
        defer { t.close() }
        try Self.seed(t)
        try t.conn.execute("""
            INSERT INTO etl.runs (run_id, command, status) OVERRIDING SYSTEM VALUE VALUES (7, 'run', 'succeeded'), (8, 'run', 'partial');
            INSERT INTO etl.run_items (run_id, waba_id, dataset, window_start, window_end, status, fetched_at, finished_at) VALUES
                (7, 'wBR', 'pricing', '2026-11-16', '2026-11-23', 'succeeded', '2026-11-24 01:00Z', '2026-11-24 01:01Z'),
                (8, 'wBR', 'templates', '2026-11-13', '2026-11-23', 'failed', NULL, '2026-11-24 02:00Z');
            INSERT INTO etl.watermarks (pipeline, waba_id, dataset, watermark) VALUES
                ('p', 'wBR', 'pricing', '2026-11-23'), ('p', 'wBR', 'templates', '2026-11-22');
            -- One revision of a template day, as the loader records it: key values, then the old and
            -- the new value of each value column (NULL where unchanged).
            INSERT INTO etl.fact_revisions (table_name, waba_id, day, layout_id, revision_ids, revision_values, run_id, changed_at)
            SELECT 'mm.fact_template_daily', 'wBR', '2026-11-22', l.layout_id, '{41}',
                   ARRAY[ARRAY(SELECT CASE i WHEN 1 THEN 't1' WHEN 2 THEN 'mm_api'
                                             WHEN 2 + p.read THEN '4' WHEN 2 + p.clicks THEN '1'
                                             WHEN 2 + p.n + p.read THEN '6' WHEN 2 + p.n + p.clicks THEN '2' END
                               FROM generate_series(1, 2 + 2 * p.n) i ORDER BY i)],
                   7, '2026-11-25 02:00Z'
            FROM etl.fact_revision_layouts l
            CROSS JOIN LATERAL (SELECT array_position(l.value_columns, 'read') AS read, array_position(l.value_columns, 'url_clicks') AS clicks,
                                       cardinality(l.value_columns) AS n) p
            WHERE l.table_name = 'mm.fact_template_daily';
            SET ROLE mmetl_analyst;
            """)
        defer { try? t.conn.execute("RESET ROLE") }
        // Pricing: loaded through D2, lag 1 day, 1 of its 2 days final; templates: through D1, last load failed.
        #expect(try t.rows("""
            SELECT dataset, loaded_through::text, lag_days::text, last_success_run_id::text, (last_failure_at IS NOT NULL)::text,
                   days_loaded::text, final_days::text, final_days_share::float8::text
            FROM mm.v_freshness WHERE waba_id = 'wBR' ORDER BY dataset
            """) == [["pricing", "2026-11-23", "1", "7", "false", "2", "1", "0.5"],
                     ["templates", "2026-11-22", "2", nil, "true", "2", "0", "0"]])
        #expect(try t.rows("""
            SELECT column_name, old_value::text, new_value::text, change::text, days_after_day::text, waba_id, day::text,
                   revision_id::text, template_id, product, fact_key::text
            FROM mm.v_fact_revisions ORDER BY column_name
            """) == [["read", "4", "6", "2", "3", "wBR", "2026-11-22", "41", "t1", "mm_api", Self.revisedKey],
                     ["url_clicks", "1", "2", "1", "3", "wBR", "2026-11-22", "41", "t1", "mm_api", Self.revisedKey]])
        // …and nothing in etl or sendlog.
        for table in ["etl.runs", "etl.fact_revisions", "etl.watermarks", "sendlog.messages", "sendlog.statuses"] {
            #expect(throws: (any Error).self, "\(table)") { _ = try t.conn.query("SELECT 1 FROM \(table) LIMIT 1") }
        }
        try t.conn.execute("RESET ROLE")
        #expect(try t.scalar("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('etl', 'sendlog') AND c.relkind IN ('r', 'v', 'p', 'm')
              AND has_table_privilege('mmetl_analyst', c.oid, 'SELECT')
            """) == "0")
        #expect(try t.scalar("SELECT has_schema_privilege('mmetl_analyst', 'etl', 'USAGE')::text") == "false")
    }
}
