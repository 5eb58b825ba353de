import Foundation
import Logging
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// A migrated throwaway database with a `PGWarehouse` on it, logs captured, and helpers to look at
/// the tables from a connection of the test's own.
final class WarehouseHarness: @unchecked Sendable {
    let db: TestDatabase
    let logs = CapturedLogs()
    let warehouse: PGWarehouse
    let connection: PGConnection

    init(_ label: String) throws {
        db = try TestDatabase.create(label: label)
        try db.migrate()
        let store = logs
        warehouse = PGWarehouse(conninfo: db.url, logger: Logger(label: "test") { _ in CapturingHandler(store: store) },
                                transformsDirectory: URL(fileURLWithPath: "/nonexistent-mmetl-transforms"))
        connection = try db.connect()
        try connection.execute("SET TimeZone = 'UTC'")
    }

    /// A second warehouse on the same database (another process, as far as locks go).
    func otherWarehouse(transforms: URL? = nil) -> PGWarehouse {
        let store = logs
        return PGWarehouse(conninfo: db.url, logger: Logger(label: "test2") { _ in CapturingHandler(store: store) },
                           transformsDirectory: transforms ?? URL(fileURLWithPath: "/nonexistent-mmetl-transforms"))
    }

    deinit {
        warehouse.close()
        connection.close()
        try? db.drop()
    }

    func rows(_ sql: String, _ parameters: [(any PGValue)?] = []) throws -> PGRows {
        try connection.query(sql, parameters)
    }

    func int(_ sql: String, _ parameters: [(any PGValue)?] = []) throws -> Int64 {
        try rows(sql, parameters).int64(0, 0) ?? 0
    }

    func string(_ sql: String, _ parameters: [(any PGValue)?] = []) throws -> String? {
        try rows(sql, parameters).string(0, 0)
    }

    /// md5 of every row (values and physical identity: ctid and xmin change when a row is rewritten),
    /// in key order.
    func digest(_ table: String, physical: Bool = true) throws -> String {
        let extra = physical ? "t.tableoid::regclass::text || t.ctid::text || t.xmin::text || " : ""
        return try string("SELECT md5(coalesce(string_agg(\(extra)t::text, '|' ORDER BY t::text), '')) FROM \(table) t") ?? ""
    }

    /// Digests of every table a load writes (facts, template dimension, ledger rows aside).
    func digests() throws -> [String: String] {
        var result: [String: String] = [:]
        for table in FactTable.all.map(\.name) + ["mm.dim_template_version", "etl.watermarks", "etl.backfill_chunks"] {
            result[table] = try digest(table)
        }
        return result
    }

    func load(_ batch: NormalizedBatch, dataset: String, waba: String = Samples.waba, window: (String, String),
              finalBefore: String, runID: Int64, watermark: String? = nil, backfillKey: String? = nil,
              fetchedAt: Date = Samples.fetchTime) async throws -> LoadStats {
        try await warehouse.loadSlice(Samples.slice(batch, dataset: dataset, waba: waba, window: window,
                                                    finalBefore: finalBefore, runID: runID, watermark: watermark,
                                                    backfillKey: backfillKey, fetchedAt: fetchedAt))
    }

    func beginRun(_ command: String = "run") async throws -> Int64 {
        try await warehouse.beginRun(RunStart(pipeline: Samples.pipeline, command: command, argsJSON: "{}", asOf: nil,
                                              startedAt: Samples.fetchTime))
    }
}

/// Synthetic rows for the warehouse tests.
enum Samples {
    static let pipeline = "nightly"
    static let waba = "102290129340398"
    static let fetchTime = Date(timeIntervalSince1970: 1_795_000_000.25)

    static func slice(_ batch: NormalizedBatch, dataset: String, waba: String = waba, window: (String, String),
                      finalBefore: String, runID: Int64, watermark: String? = nil, backfillKey: String? = nil,
                      fetchedAt: Date = fetchTime) -> SliceLoad {
        SliceLoad(slice: SliceIdentity(pipeline: pipeline, wabaID: waba, dataset: dataset, windowStart: window.0, windowEnd: window.1),
                  runID: runID, rows: batch, finalBefore: finalBefore, advanceWatermarkTo: watermark, backfillKey: backfillKey,
                  apiCalls: 3, pages: 2, attempts: 1, startedAt: fetchedAt.addingTimeInterval(-5), fetchedAt: fetchedAt)
    }

    /// Every day from `first` to `last`.
    static func days(_ first: String, _ last: String) -> [String] {
        let start = Day(first)!, end = Day(last)!
        return (0...start.distance(to: end)).map { (start + $0).description }
    }

    /// `perDay` pricing rows per day; volume = base + index.
    static func pricing(waba: String = waba, days: [String], perDay: Int, base: Int64 = 1) -> [PricingRow] {
        var rows: [PricingRow] = []
        rows.reserveCapacity(days.count * perDay)
        let countries = ["DE", "BR", "IN", "US", "MX", "ID", "GB", "FR"]
        let categories = ["MARKETING_LITE", "MARKETING", "UTILITY", "AUTHENTICATION"]
        for day in days {
            let start = Day(day)!.epochSecondsUTC + 7 * 3600
            for i in 0..<perDay {
                let category = categories[i % categories.count]
                rows.append(PricingRow(
                    wabaID: waba, granularity: "DAILY", bucketStart: start, bucketEnd: start + 86_400, day: day,
                    phoneNumber: "1555078\(String(format: "%04d", i / 32 % 10_000))", country: countries[i % countries.count],
                    pricingCategory: category, pricingType: "REGULAR", tier: "tier\(i / 4 % 8)",
                    product: Product.ofPricingCategory(category), volume: base + Int64(i),
                    cost: i % 5 == 0 ? nil : Decimal(string: "0.0\(i % 97 + 1)")! * Decimal(base + Int64(i)),
                    currency: "USD", wabaTimezone: "America/Los_Angeles"))
            }
        }
        return rows
    }

    /// A templates batch: per day and template a daily row, two button rows and two conversions.
    static func templates(waba: String = waba, days: [String], templates: Int, base: Int64 = 10,
                          button: String = "Shop now", name: String = "summer_sale") -> NormalizedBatch {
        var batch = NormalizedBatch()
        for day in days {
            let start = Day(day)!.epochSecondsUTC
            for t in 0..<templates {
                let id = "99\(1000 + t)"
                let sent = base + Int64(t)
                batch.templateDaily.append(TemplateDailyRow(
                    wabaID: waba, templateID: id, product: .mmAPI, productType: "marketing_messages_lite_api", day: day,
                    bucketStart: start, bucketEnd: start + 86_400, sent: sent, delivered: sent - 1, read: sent / 2,
                    urlClicks: sent / 4, uniqueURLClicks: sent / 5, quickReplyClicks: 1, amountSpent: Decimal(sent) / 100,
                    costPerDelivered: Decimal(string: "0.0123")!, costPerURLClick: nil, currency: "EUR",
                    wabaTimezone: "Europe/Berlin"))
                batch.templateClicks.append(TemplateClickRow(wabaID: waba, templateID: id, product: .mmAPI, day: day,
                                                             buttonType: "url_button", buttonContent: button, count: sent / 4))
                batch.templateClicks.append(TemplateClickRow(wabaID: waba, templateID: id, product: .mmAPI, day: day,
                                                             buttonType: "quick_reply_button", buttonContent: "Stop", count: 1))
                batch.conversions.append(ConversionRow(wabaID: waba, templateID: id, product: .mmAPI, day: day,
                                                       metric: "website_purchases", value: Decimal(sent / 10), currency: "EUR"))
                batch.conversions.append(ConversionRow(wabaID: waba, templateID: id, product: .mmAPI, day: day,
                                                       metric: "website_purchases_conversion_value",
                                                       value: Decimal(string: "12.50")! * Decimal(sent), currency: "EUR"))
            }
        }
        batch.templates = (0..<templates).map { t in
            TemplateRow(wabaID: waba, templateID: "99\(1000 + t)", name: "\(name)_\(t)", language: "en_US",
                        category: "MARKETING", status: "APPROVED", qualityScore: "GREEN",
                        bidAmount: t % 2 == 0 ? Decimal(string: "0.05")! : nil, bidCurrency: t % 2 == 0 ? "USD" : "",
                        ttlSeconds: t % 3 == 0 ? 86_400 : nil)
        }
        return batch
    }
}

@Suite(.serialized) struct WarehouseHarnessTests {
    @Test func migrationsCreateTheContractTablesWithCommentsOnEveryColumn() throws {
        let h = try WarehouseHarness("wh_schema")
        let missing = try h.rows("""
            SELECT c.relname || coalesce('.' || a.attname, '') AS what
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = 'mm' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition
              AND c.relname IN ('dim_waba', 'dim_phone_number', 'dim_template', 'dim_template_version', 'dim_template_seen',
                                'dim_country', 'dim_calling_code', 'dim_error_code', 'fact_pricing', 'fact_template_daily',
                                'fact_template_clicks', 'fact_conversions')
              AND (obj_description(c.oid, 'pg_class') IS NULL OR (a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))
            """)
        let uncommented = try missing.map { try $0.string("what") ?? "" }
        #expect(uncommented.isEmpty, "uncommented: \(uncommented)")
        // Every fact key begins with waba_id and contains day; facts are partitioned by day.
        for table in FactTable.all {
            let key = try h.string("""
                SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i
                CROSS JOIN unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = $1::regclass AND i.indisprimary
                """, [table.name]) ?? ""
            #expect(key == table.keyColumns.map(\.name).joined(separator: ","), "\(table.name): \(key)")
            #expect(key.hasPrefix("waba_id,") && key.contains("day"))
            #expect(try h.string("SELECT pg_get_partkeydef($1::regclass)", [table.name]) == "RANGE (day)")
        }
    }

    @Test func seedsCoverCountriesCallingCodesAndErrorCodes() throws {
        let h = try WarehouseHarness("wh_seeds")
        #expect(try h.int("SELECT count(*) FROM mm.dim_country") >= 240)
        #expect(try h.int("SELECT count(*) FROM mm.dim_country WHERE cardinality(calling_codes) = 0") < 10)
        let lookups: [(String, String?)] = [
            ("+1 204 555 0100", "CA"), ("+1 212 555 0100", "US"), ("+1 787 555 0100", "PR"), ("+44 7781 123456", "GG"),
            ("+44 20 7123 4567", "GB"), ("+7 701 123 4567", "KZ"), ("+7 495 123 4567", "RU"), ("004915112345678", "DE"),
            ("+358 18 12345", "AX"), ("+55 11 91234 5678", "BR"), ("+800 1234 5678", nil), ("", nil),
        ]
        for (number, country) in lookups {
            #expect(try h.string("SELECT mm.country_of_e164($1)", [number]) == country, "\(number)")
        }
        let noMetrics = try h.rows("SELECT country_code FROM mm.dim_country WHERE NOT mm_click_conversion_metrics AND NOT sanctioned")
            .map { try $0.string("country_code") ?? "" }
        for code in ["DE", "FR", "NO", "IS", "GB", "JP", "KR", "RU"] { #expect(noMetrics.contains(code), "\(code)") }
        for code in ["US", "BR", "IN", "CH"] { #expect(!noMetrics.contains(code), "\(code)") }
        #expect(try h.string("SELECT string_agg(country_code, ',') FROM mm.dim_country WHERE us_marketing_block") == "US")
        #expect(try h.rows("SELECT retryable FROM mm.dim_error_code WHERE code = 80007").bool(0, 0) == true)
        #expect(try h.rows("SELECT retryable FROM mm.dim_error_code WHERE code = 131049").bool(0, 0) == false)
    }

    @Test func analystReadsMmIncludingOnDemandPartitionsButNotEtl() async throws {
        let h = try WarehouseHarness("wh_grants")
        let run = try await h.beginRun()
        _ = try await h.load(NormalizedBatch(pricing: Samples.pricing(days: ["2026-03-31", "2026-04-01"], perDay: 3)),
                             dataset: "pricing", window: ("2026-03-31", "2026-04-01"), finalBefore: "2026-03-01", runID: run)
        try h.connection.execute("SET ROLE mmetl_analyst")
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == 6)
        #expect(try h.int("SELECT count(*) FROM mm.dim_template") == 0)
        #expect(throws: PGError.self) { try h.int("SELECT count(*) FROM etl.fact_revisions") }
        try h.connection.execute("RESET ROLE")
    }
}

extension NormalizedBatch {
    init(pricing: [PricingRow]) {
        self.init()
        self.pricing = pricing
    }
}
