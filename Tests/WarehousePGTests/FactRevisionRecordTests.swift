import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// Revision records (migration 0120): the loader records a changed fact row as a text array, one
/// `etl.fact_revisions` row per fact, WABA and day; `mm.v_fact_revisions` reads them as the JSON
/// objects the records held before, and still reads those (`etl.fact_revisions_jsonb`) as it did.
@Suite(.serialized) struct FactRevisionRecordTests {
    /// The view's columns, as text, in a stable order (revision ids, runs and times aside).
    static let viewRows = """
        SELECT fact_table, waba_id, template_id, product, day::text, fact_key::text, column_name,
               old_value::text, new_value::text, change::text, days_after_day::text
        FROM mm.v_fact_revisions WHERE run_id = $1
        ORDER BY fact_table, fact_key::text, column_name
        """

    static func strings(_ rows: PGRows) throws -> [[String?]] {
        try (0..<rows.count).map { i in try (0..<rows.columns.count).map { try rows.string(i, $0) } }
    }

    /// What the loader wrote before 0120 for the rows of `table` whose values differ between
    /// `before` (a copy of the fact) and the fact: the key and the changed columns' old and new
    /// values as JSON objects, built by `jsonb_build_object` in a UTC session.
    static func legacyRecords(_ table: FactTable, before: String, runID: Int64) -> String {
        let keys = table.keyColumns.map(\.name), values = table.valueColumns.map(\.name)
        let key = "jsonb_build_object(" + keys.map { "'\($0)', a.\($0)" }.joined(separator: ", ") + ")"
        func changed(_ side: String) -> String {
            values.map { "CASE WHEN b.\($0) IS DISTINCT FROM a.\($0) THEN jsonb_build_object('\($0)', \(side).\($0)) ELSE '{}'::jsonb END" }
                .joined(separator: " || ")
        }
        return """
            INSERT INTO etl.fact_revisions_jsonb (table_name, key, old_values, new_values, run_id, changed_at)
            SELECT '\(table.name)', \(key), \(changed("b")), \(changed("a")), \(runID), now()
            FROM \(table.name) a JOIN \(before) b ON \(keys.map { "a.\($0) = b.\($0)" }.joined(separator: " AND "))
            WHERE (\(values.map { "b.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(values.map { "a.\($0)" }.joined(separator: ", ")))
            """
    }

    @Test func everyFactHasTheLayoutTheLoaderWrites() throws {
        let h = try WarehouseHarness("rev_layouts")
        for table in FactTable.all {
            let record = FactRevisionRecord(table)
            #expect(try h.int("""
                SELECT count(*) FROM etl.fact_revision_layouts
                WHERE table_name = $1 AND key_columns = string_to_array($2, ',') AND value_columns = string_to_array($3, ',')
                """, [table.name, record.keyColumns.map(\.name).joined(separator: ","),
                      table.valueColumns.map(\.name).joined(separator: ",")]) == 1, "\(table.name)")
        }
    }

    /// The same changes (numbers, NULL to a value and back, text, instants, strings that need
    /// escaping) read the same from the typed records the loader writes as from the JSON objects
    /// it wrote before, in any session time zone.
    @Test func aChangeReadsTheSameFromTheTypedRecordAsFromTheJSONObjects() async throws {
        let h = try WarehouseHarness("rev_forms")
        let days = Samples.days("2026-10-30", "2026-11-02")
        let window = (days.first!, days.last!)
        let nasty = ["it's \"quoted\"", #"back\slash \N"#, "tab\there", "new\nline", "emoji 😀 ünïcødé", "Shop now"]
        var templates = Samples.templates(days: days, templates: 3)
        templates.templates = []
        for (i, text) in nasty.enumerated() {
            templates.templateClicks.append(TemplateClickRow(wabaID: Samples.waba, templateID: "q\"\(i)", product: .cloudAPI,
                                                             day: days[i % days.count], buttonType: "url_button",
                                                             buttonContent: text, count: Int64(i)))
        }
        let pricing = Samples.pricing(days: days, perDay: 12)
        let run1 = try await h.beginRun()
        _ = try await h.load(NormalizedBatch(pricing: pricing), dataset: "pricing", window: window, finalBefore: "2026-10-01", runID: run1)
        _ = try await h.load(templates, dataset: "templates", window: window, finalBefore: "2026-10-01", runID: run1)
        for table in FactTable.all {
            try h.connection.execute("CREATE TEMPORARY TABLE before_\(table.unqualifiedName) AS SELECT * FROM \(table.name)")
        }

        var later = pricing
        for i in later.indices where i % 3 == 0 {
            later[i].volume += 3
            later[i].cost = later[i].cost == nil ? Decimal(string: "0.0125")! : nil
            if i % 2 == 0 { later[i].bucketEnd += 3600 }
            if i % 4 == 0 { later[i].currency = "EUR"; later[i].product = .other }
        }
        var moved = templates
        for i in moved.templateDaily.indices where i % 2 == 0 {
            moved.templateDaily[i].delivered += 5
            moved.templateDaily[i].amountSpent = nil
            moved.templateDaily[i].costPerURLClick = Decimal(string: "0.250")!
            moved.templateDaily[i].replied = 3
            moved.templateDaily[i].productType = "marketing \"lite\""
            moved.templateDaily[i].bucketStart += 60
        }
        for i in moved.templateClicks.indices { moved.templateClicks[i].count += 1 }
        for i in moved.conversions.indices where i % 3 == 0 { moved.conversions[i].value += Decimal(string: "0.5")! }
        let run2 = try await h.beginRun()
        let pricingStats = try await h.load(NormalizedBatch(pricing: later), dataset: "pricing", window: window,
                                            finalBefore: "2026-10-01", runID: run2)
        let templateStats = try await h.load(moved, dataset: "templates", window: window, finalBefore: "2026-10-01", runID: run2)
        #expect(pricingStats.revisions == Int64(later.indices.filter { $0 % 3 == 0 }.count))
        #expect(templateStats.revisions > 0 && templateStats.revisions == templateStats.updated)

        let legacyRun: Int64 = -1
        for table in FactTable.all {
            try h.connection.execute(Self.legacyRecords(table, before: "before_\(table.unqualifiedName)", runID: legacyRun))
        }
        for zone in ["UTC", "Asia/Kolkata"] {
            try h.connection.execute("SET TimeZone = '\(zone)'")
            let typed = try Self.strings(h.rows(Self.viewRows, [run2]))
            let json = try Self.strings(h.rows(Self.viewRows, [legacyRun]))
            #expect(typed.count > 50)
            let difference = zip(typed, json).first { $0 != $1 }
            #expect(typed.count == json.count && difference == nil,
                    "TimeZone \(zone): \(typed.count) and \(json.count) rows, first difference \(String(describing: difference))")
        }
        try h.connection.execute("SET TimeZone = 'UTC'")
        // One record per fact, WABA and day; a revision id per changed row, all above the earlier ones.
        #expect(try h.int("SELECT count(*) FROM etl.fact_revisions WHERE table_name = 'mm.fact_pricing'") == Int64(days.count))
        #expect(try h.int("SELECT sum(cardinality(revision_ids)) FROM etl.fact_revisions")
            == pricingStats.revisions + templateStats.revisions)
        #expect(try h.int("SELECT count(DISTINCT revision_id) FROM mm.v_fact_revisions WHERE run_id = $1", [run2])
            == pricingStats.revisions + templateStats.revisions)
        // The instants of a key are stored as JSON writes them.
        #expect(try h.string("""
            SELECT revision_values[1][2] FROM etl.fact_revisions WHERE table_name = 'mm.fact_pricing' ORDER BY day LIMIT 1
            """) == "2026-10-30T07:00:00+00:00")
    }

    /// Records written before migration 0120 read the same through the view after it, and the
    /// revisions after it continue their ids.
    @Test func recordsWrittenBeforeTheMigrationReadTheSameAfterIt() throws {
        let db = try TestDatabase.create(label: "rev_legacy")
        defer { try? db.drop() }
        try db.migrate(before: "0120")
        let conn = try db.connect()
        defer { conn.close() }
        try conn.execute("""
            INSERT INTO etl.fact_revisions (table_name, key, old_values, new_values, run_id, changed_at) VALUES
                ('mm.fact_template_daily', '{"waba_id": "wBR", "template_id": "t1", "product": "mm_api", "day": "2026-11-22"}',
                 '{"read": 4, "url_clicks": 1, "amount_spent": 0.10}', '{"read": 6, "url_clicks": 2, "amount_spent": null}', 7, '2026-11-25 02:00Z'),
                ('mm.fact_pricing', '{"waba_id": "w1", "granularity": "DAILY", "bucket_start": "2026-10-01T07:00:00+00:00",
                  "phone_number": "", "country": "BR", "pricing_category": "MARKETING", "pricing_type": "REGULAR", "tier": "",
                  "day": "2026-10-01"}', NULL, '{"volume": 3, "currency": "EUR"}', 8, '2026-10-03 02:00Z');
            """)
        let view = "SELECT * FROM mm.v_fact_revisions ORDER BY revision_id, column_name"
        let before = try Self.strings(conn.query(view))
        #expect(before.count == 5)
        try db.migrate()
        #expect(try Self.strings(conn.query(view)) == before)
        #expect(try conn.query("SELECT count(*) FROM etl.fact_revisions_jsonb").int64(0, 0) == 2)
        #expect(try conn.query("SELECT nextval('etl.fact_revision_id_seq')").int64(0, 0) == 3)
    }
}
