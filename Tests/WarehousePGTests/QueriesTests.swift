import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// Every `sql/queries/*.sql` runs against a small loaded warehouse and returns what an analyst
/// would expect. As-of 2026-11-24; the data is on 2026-11-23 (WABA w1 in São Paulo, w2 in UTC).
///
/// API: t1 mm_api 10 sent / 8 delivered / 6 read / 2 clicks, 0.80 spent, 2 purchases worth 100;
///      t1 cloud_api 20 / 16 / 8 / 2 clicks, 2.00 spent, 1 purchase worth 30;
///      t3 (w2) mm_api 100 / 90 / 70 / 9 clicks, 9.00 spent.
/// Send log: t1 via /marketing_messages: 10 on the MM API (8 delivered, 6 read, 2 failed: 131049 to
/// a US number, 131026), 7 fell back to Cloud API (7 delivered, 3 read).
@Suite("Analyst queries (PostgreSQL)", .serialized)
struct QueriesTests {
    static let day = "2026-11-23"
    static let at = 1_795_964_400  // 2026-11-23T15:00:00Z, noon in São Paulo

    static func sendLog() -> [String] {
        var lines: [String] = []
        for i in 0..<17 {
            let wamid = "q\(i)"
            let us = i == 8
            let recipient = us ? "12125550100" : "55119876500\(String(format: "%02d", i))"
            lines.append(Lines.send(wamid, at: "2026-11-23T15:00:00Z", recipient: "+" + recipient))
            let mm = i < 10
            let category = mm ? "marketing_lite" : "marketing"
            lines.append(Lines.webhook(wamid, "sent", epoch: at + 1, recipient: recipient, category: category))
            if mm && i >= 8 {
                lines.append(Lines.flat(wamid, "failed", epoch: at + 5, recipient: recipient, error: us ? 131049 : 131026))
                continue
            }
            lines.append(Lines.flat(wamid, "delivered", epoch: at + 5, recipient: recipient, category: category))
            if (mm && i < 6) || (!mm && i < 13) {
                lines.append(Lines.webhook(wamid, "read", epoch: at + 50, recipient: recipient))
            }
        }
        return lines
    }

    static func seedAPI(_ t: SendLogTestDB) throws {
        for table in ["mm.fact_template_daily", "mm.fact_conversions", "mm.fact_pricing"] {
            try t.conn.execute("SELECT etl.ensure_month_partitions('\(table)', '2026-11-01', '2026-11-30')")
        }
        try t.conn.execute("""
            INSERT INTO mm.dim_waba (waba_id, timezone, country, industry, currency) VALUES
                ('w1', 'America/Sao_Paulo', 'BR', 'retail', 'BRL'), ('w2', 'UTC', 'BR', 'retail', 'BRL');
            INSERT INTO mm.dim_template_version (waba_id, template_id, valid_from, name, language, category, status, quality_score) VALUES
                ('w1', 't1', '2026-01-01', 'black_friday', 'pt_BR', 'MARKETING', 'APPROVED', 'GREEN'),
                ('w2', 't3', '2026-01-01', 'welcome', 'pt_BR', 'MARKETING', 'APPROVED', 'GREEN');
            INSERT INTO mm.fact_template_daily (waba_id, template_id, product, day, product_type, bucket_start, bucket_end,
                sent, delivered, read, url_clicks, unique_url_clicks, quick_reply_clicks, amount_spent, currency, waba_timezone,
                run_id, first_fetched_at, last_fetched_at) VALUES
                ('w1', 't1', 'mm_api', '2026-11-23', 'marketing_messages_lite_api', '2026-11-23 03:00Z', '2026-11-24 03:00Z', 10, 8, 6, 2, 2, 0, 0.80, 'BRL', 'America/Sao_Paulo', 1, now(), now()),
                ('w1', 't1', 'cloud_api', '2026-11-23', 'cloud_api', '2026-11-23 03:00Z', '2026-11-24 03:00Z', 20, 16, 8, 2, 2, 0, 2.00, 'BRL', 'America/Sao_Paulo', 1, now(), now()),
                ('w2', 't3', 'mm_api', '2026-11-23', 'marketing_messages_lite_api', '2026-11-23', '2026-11-24', 100, 90, 70, 9, 8, 1, 9.00, 'BRL', 'UTC', 1, now(), now());
            INSERT INTO mm.fact_conversions (waba_id, template_id, product, day, metric, value, currency, run_id, first_fetched_at, last_fetched_at) VALUES
                ('w1', 't1', 'mm_api', '2026-11-23', 'website_add_to_cart', 2, 'BRL', 1, now(), now()),
                ('w1', 't1', 'mm_api', '2026-11-23', 'website_checkouts_initiated', 2, 'BRL', 1, now(), now()),
                ('w1', 't1', 'mm_api', '2026-11-23', 'website_purchases', 2, 'BRL', 1, now(), now()),
                ('w1', 't1', 'mm_api', '2026-11-23', 'website_purchases_conversion_value', 100, 'BRL', 1, now(), now()),
                ('w1', 't1', 'cloud_api', '2026-11-23', 'website_purchases', 1, 'BRL', 1, now(), now()),
                ('w1', 't1', 'cloud_api', '2026-11-23', 'website_purchases_conversion_value', 30, 'BRL', 1, now(), now());
            INSERT INTO mm.fact_pricing (waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type,
                tier, day, bucket_end, product, volume, cost, currency, waba_timezone, run_id, first_fetched_at, last_fetched_at) VALUES
                ('w1', 'DAILY', '2026-11-23 03:00Z', '', 'BR', 'MARKETING_LITE', 'REGULAR', '', '2026-11-23', '2026-11-24 03:00Z', 'mm_api', 8, 0.80, 'BRL', 'America/Sao_Paulo', 1, now(), now()),
                ('w1', 'DAILY', '2026-11-23 03:00Z', '', 'BR', 'MARKETING', 'REGULAR', '', '2026-11-23', '2026-11-24 03:00Z', 'cloud_api', 16, 2.00, 'BRL', 'America/Sao_Paulo', 1, now(), now()),
                ('w1', 'DAILY', '2026-11-23 03:00Z', '', 'BR', 'UTILITY', 'REGULAR', '', '2026-11-23', '2026-11-24 03:00Z', 'other', 5, NULL, 'BRL', 'America/Sao_Paulo', 1, now(), now());
            """)
    }

    static func run(_ t: SendLogTestDB, _ file: String) throws -> [[String: String?]] {
        let sql = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("sql/queries/\(file)"), encoding: .utf8)
        let r = try t.conn.query(sql)
        return try (0..<r.count).map { i in
            Dictionary(uniqueKeysWithValues: try r.columns.enumerated().map { ($0.element, try r.string(i, $0.offset)) })
        }
    }

    @Test func everyQueryRunsAndAnswersSensibly() throws {
        let t = try SendLogTestDB.make("queries", settings: ["mmetl.min_cohort_businesses": "1", "mmetl.benchmark_min_delivered": "1"])
        defer { t.close() }
        try Self.seedAPI(t)
        let out = try t.load(Self.sendLog())
        #expect(out.counts.rejectedLines == 0)
        try t.transform("2026-11-23", "2026-11-23")
        try t.conn.execute("SET mmetl.as_of = '2026-11-24'")

        let files = try FileManager.default.contentsOfDirectory(
            atPath: TestDatabase.repositoryRoot.appendingPathComponent("sql/queries").path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.count >= 10)
        for f in files {
            let text = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("sql/queries/\(f)"), encoding: .utf8)
            #expect(text.hasPrefix("-- "), "\(f) has no header comment")
            _ = try Self.run(t, f)  // every file runs
        }

        let uplift = try Self.run(t, "01_mm_vs_cloud_read_rate_uplift.sql")
        #expect(uplift.count == 1)
        #expect(uplift.first?["mm_read_rate_pct"] == "75.00" && uplift.first?["cloud_read_rate_pct"] == "50.00")
        #expect(uplift.first?["uplift_points"] == "25.00" && uplift.first?["uplift_relative_pct"] == "50.0")

        // MM API only. Read: t1 (6 of 8 = .75) is under w2's t3 (70 of 90 = .7778): −2.78 points.
        // Click: t3 (9 of 90 = .1) is under t1 (2 of 8 = .25).
        let below = try Self.run(t, "02_templates_below_benchmark.sql")
        #expect(below.map { $0["template_id"] } == ["t1", "t3"])
        #expect(below.first?["read_gap_points"] == "-2.78")
        #expect(below.first?["peer_cohort"] == "country:BR")

        let errors = try Self.run(t, "03_top_error_codes_this_week.sql")
        #expect(errors.map { $0["error_code"] } == ["131026", "131049"] || errors.map { $0["error_code"] } == ["131049", "131026"])
        #expect(errors.allSatisfy { $0["failures"] == "1" && $0["share_pct"] == "50.0" && $0["is_known"] == "t" })

        let cpp = try Self.run(t, "04_cost_per_purchase_by_template.sql")
        let mmRow = cpp.first { $0["template_id"] == "t1" && $0["product"] == "mm_api" }
        #expect(mmRow?["cost_per_purchase"] == "0.4000" && mmRow?["roas"] == "125.00")
        #expect(mmRow?["days_left_out"] == "0" && mmRow?["purchases_left_out"] == "0")
        // Conversions exist for the MM API only: no Cloud API row; t3 returned no conversion metric.
        #expect(cpp.first { $0["product"] == "cloud_api" } == nil)
        #expect(cpp.first { $0["template_id"] == "t3" }?["cost_per_purchase"] == .some(nil))

        let fallback = try Self.run(t, "05_route_fallback_share_by_waba.sql")
        let w1 = fallback.first { $0["waba_id"] == "w1" }
        #expect(w1?["sent_via_marketing_messages"] == "17" && w1?["fell_back_to_cloud_api"] == "7")
        #expect(w1?["fallback_share_pct"] == "41.18")
        #expect(w1?["billed_mm_api_share_pct"] == "33.33")

        // t1 on the MM API matches exactly; Cloud API: 7 in the send log vs 20 from the API; t3 has no send log.
        let exceptions = try Self.run(t, "06_reconciliation_exceptions.sql")
        #expect(exceptions.map { "\($0["template_id"]!!)/\($0["product"]!!)" } == ["t3/mm_api", "t1/cloud_api"])
        #expect(exceptions.map { $0["sent_delta"] } == ["-100", "-13"])
        #expect(exceptions.map { $0["presence"] } == ["api_only", "both"])

        let funnel = try Self.run(t, "07_conversion_funnel_by_template.sql")
        let f1 = funnel.first { $0["template_id"] == "t1" && $0["product"] == "mm_api" }
        #expect(f1?["sent"] == "10" && f1?["purchases"] == "2" && f1?["purchase_of_checkout_pct"] == "100.0")
        #expect(f1?["conversions_measured"] == "t")
        let c1 = funnel.first { $0["template_id"] == "t1" && $0["product"] == "cloud_api" }
        #expect(c1?["conversions_measured"] == "f" && c1?["purchases"] == .some(nil) && c1?["sent"] == "20")
        #expect(funnel.first?["template_id"] == "t1" && funnel.first?["product"] == "mm_api")

        let spend = try Self.run(t, "08_spend_by_currency_and_product.sql")
        #expect(spend.map { $0["product"] } == ["cloud_api", "mm_api", "other"])
        #expect(spend.allSatisfy { $0["currency"] == "BRL" && $0["month"] == "2026-11-01" })
        #expect(spend.first { $0["product"] == "other" }?["cost_missing_rows"] == "1")
        #expect(spend.first { $0["product"] == "mm_api" }?["cost_per_message"] == "0.1000")

        let countries = try Self.run(t, "09_failures_by_recipient_country.sql")
        let us = countries.first { $0["recipient_country"] == "US" }
        #expect(us?["error_code"] == "131049" && us?["us_marketing_block"] == "t")

        // Campaign "bf": 16 messages to Brazil (1 failed: 131026), 1 to the US (failed: 131049).
        let campaigns = try Self.run(t, "10_failure_rate_by_campaign_and_country.sql")
        #expect(campaigns.map { $0["recipient_country"] } == ["BR", "US"])
        #expect(campaigns.map { $0["campaign"] } == ["bf", "bf"])
        #expect(campaigns.map { $0["failure_rate_pct"] } == ["6.25", "100.00"])
    }

    /// The demo's text summary (`sql/summary`) on the same warehouse: titled, and its figures right.
    @Test func theDemoSummaryQueriesAnswerFromTheAnalystLayer() throws {
        let t = try SendLogTestDB.make("summary", settings: ["mmetl.min_cohort_businesses": "1", "mmetl.benchmark_min_delivered": "1"])
        defer { t.close() }
        try Self.seedAPI(t)
        try t.load(Self.sendLog())
        try t.transform("2026-11-23", "2026-11-23")
        let queries = try SummaryQuery.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql/summary"))
        #expect(queries.map(\.title).first == "MM API vs Cloud API, last 30 days (per currency)")
        #expect(queries.count == 4)
        func rows(_ q: SummaryQuery) throws -> [[String: String?]] {
            let r = try t.conn.query(q.sql)
            return try (0..<r.count).map { i in
                Dictionary(uniqueKeysWithValues: try r.columns.enumerated().map { ($0.element, try r.string(i, $0.offset)) })
            }
        }
        // t1 + t3 on the MM API: 110 sent, 98 delivered; t1 on the Cloud API: 20 / 16.
        let products = try rows(queries[0])
        #expect(products.map { $0["product"] } == ["cloud_api", "mm_api"])
        #expect(products.map { $0["sent"] } == ["20", "110"] && products.map { $0["delivered"] } == ["16", "98"])
        #expect(products.allSatisfy { $0["currency"] == "BRL" })
        // 17 sends: 10 on the MM API route (2 failed), 7 fell back to the Cloud API.
        let routes = try rows(queries[3])
        #expect(routes.reduce(0) { $0 + (Int(($1["sent"] ?? "0") ?? "0") ?? 0) } == 17)
        #expect(try rows(queries[2]).compactMap { $0["error_code"] ?? nil }.sorted() == ["131026", "131049"])
        // A title line is required.
        let dir = URL(fileURLWithPath: NSTemporaryDirectory() + "mmetl-summary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "SELECT 1;\n".write(to: dir.appendingPathComponent("01_x.sql"), atomically: true, encoding: .utf8)
        #expect(throws: PGError.self) { try SummaryQuery.load(from: dir) }
    }

    @Test func noPhoneNumberAnywhereInTheDatabase() throws {
        let t = try SendLogTestDB.make("privacy")
        defer { t.close() }
        try Self.seedAPI(t)
        var lines = Self.sendLog()
        lines.append(#"{"kind":"send","wamid":"bad","sent_at":"never","recipient":"+5511987650099"}"#)
        lines.append(#"{"kind":"send","wamid":"cut","recipient":"+5511987650098","sent_at":"#)
        lines.append("broken line for +55 11 98765 0097")
        try t.load(lines)
        try t.transform("2026-11-23", "2026-11-23")
        let numbers = (0..<17).map { "55119876500\(String(format: "%02d", $0))" } + ["12125550100", "5511987650099", "5511987650098", "5511987650097"]
        #expect(try PrivacyScan.findDigits(numbers, in: t.conn).isEmpty)
        // The scan itself works: a number put in a text column is found.
        try t.conn.execute("CREATE TABLE etl.canary (note text); INSERT INTO etl.canary VALUES ('call +1 (212) 555-0100')")
        #expect(try PrivacyScan.findDigits(["12125550100"], in: t.conn) == ["etl.canary.note"])
    }
}

/// Looks for phone numbers in every text, varchar, jsonb and array column of every table in the
/// mm, sendlog, etl and staging schemas (partitions included), ignoring separators.
enum PrivacyScan {
    static func findDigits(_ numbers: [String], in conn: PGConnection) throws -> [String] {
        let cols = try conn.query("""
            SELECT c.table_schema, c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema IN ('mm', 'sendlog', 'etl') AND t.table_type = 'BASE TABLE'
              AND (c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY'))
            ORDER BY 1, 2, 3
            """)
        let pattern = numbers.joined(separator: "|")
        var hits: [String] = []
        for i in 0..<cols.count {
            let (s, tbl, col) = (try cols.string(i, 0)!, try cols.string(i, 1)!, try cols.string(i, 2)!)
            let q = "SELECT count(*) FROM \"\(s)\".\"\(tbl)\" WHERE regexp_replace(\"\(col)\"::text, '[^0-9]', '', 'g') ~ $1"
            if try conn.query(q, [pattern]).int(0, 0) ?? 0 > 0 { hits.append("\(s).\(tbl).\(col)") }
        }
        return hits
    }
}
