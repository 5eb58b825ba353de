import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// `FactTable.columns` is the one list of a fact's columns: the COPY encoder (`StagingRows`) and the
/// merge SQL (`FactMergePlan`) follow it, and the migrated database agrees with it.
@Suite(.serialized) struct FactColumnsTests {
    /// Bookkeeping columns every fact has besides its loaded ones.
    static let bookkeeping: Set<String> = ["run_id", "first_fetched_at", "last_fetched_at", "revision", "is_final"]

    @Test func theMigratedFactsHaveExactlyTheLoaderColumnsWithTheirKeys() throws {
        let h = try WarehouseHarness("fact_columns")
        for table in FactTable.all {
            let parts = table.name.split(separator: ".").map(String.init)
            let rows = try h.rows("""
                SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns
                WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position
                """, [parts[0], parts[1]])
            var database: [String: String] = [:]
            for i in 0..<rows.count { database[try rows.string(i, "name") ?? ""] = try rows.string(i, "type") ?? "" }
            let loaded = Set(database.keys).subtracting(Self.bookkeeping)
            #expect(loaded == Set(table.columns.map(\.name)), "\(table.name)")
            for column in table.columns {
                let type = database[column.name] ?? "missing"
                let expected = column.factType == "timestamptz" ? "timestamp with time zone" : column.factType
                #expect(type == expected, "\(table.name).\(column.name)")
                #expect((column.conversion == nil) == (column.factType == column.stagingType), "\(table.name).\(column.name)")
            }
            let key = try h.rows("""
                SELECT a.attname::text AS name FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = $1::regclass AND i.indisprimary
                """, [table.name])
            let keyColumns = Set(try (0..<key.count).map { try key.string($0, "name") ?? "" })
            #expect(keyColumns == Set(table.keyColumns.map(\.name)), "\(table.name) primary key")
        }
    }

    /// Every staged row has one field per column, in the columns' order: the COPY into staging
    /// accepts it, and the typed columns read back what was written.
    @Test func theEncoderWritesTheColumnsInOrder() throws {
        let h = try WarehouseHarness("fact_encoder")
        var batch = NormalizedBatch()
        batch.pricing = [PricingRow(wabaID: "1", granularity: "DAILY", bucketStart: 0, bucketEnd: 86400, day: "2026-01-01",
                                    phoneNumber: "", country: "BR", pricingCategory: "MARKETING", pricingType: "REGULAR", tier: "",
                                    product: .cloudAPI, volume: 1, cost: nil, currency: "BRL", wabaTimezone: "UTC")]
        batch.templateDaily = [TemplateDailyRow(wabaID: "1", templateID: "2", product: .mmAPI, productType: "x", day: "2026-01-01",
                                                bucketStart: 0, bucketEnd: 1, sent: 1, delivered: 1, read: 1, urlClicks: 0,
                                                uniqueURLClicks: 0, quickReplyClicks: 0, amountSpent: 1.5, costPerDelivered: nil,
                                                costPerURLClick: nil, currency: "USD", wabaTimezone: "UTC", replied: nil)]
        batch.templateClicks = [TemplateClickRow(wabaID: "1", templateID: "2", product: .mmAPI, day: "2026-01-01",
                                                 buttonType: "url_button", buttonContent: "a\tb", count: 3)]
        batch.conversions = [ConversionRow(wabaID: "1", templateID: "2", product: .mmAPI, day: "2026-01-01", metric: "m",
                                           value: 2, currency: "USD")]
        for table in FactTable.all { try h.connection.execute(FactMergePlan(table).createStaging) }
        try h.connection.transaction { connection in
            for table in FactTable.all {
                let copied = try FactMerge.copy(FactMergePlan(table).copy, on: connection, write: StagingRows.of(table, in: batch).write)
                #expect(copied.rows == 1, "\(table.name)")
                let row = try connection.query("SELECT waba_id, day::text AS day FROM pg_temp.\(table.stagingName)")
                #expect(try row.string(0, "waba_id") == "1" && row.string(0, "day") == "2026-01-01", "\(table.name)")
            }
            let money = try connection.query("SELECT amount_spent::text AS a, replied FROM pg_temp.\(FactTable.templateDaily.stagingName)")
            #expect(try money.string(0, "a") == "1.5" && money.string(0, "replied") == nil)
            let clicks = try connection.query("SELECT button_content, count FROM pg_temp.\(FactTable.templateClicks.stagingName)")
            #expect(try clicks.string(0, "button_content") == "a\tb" && clicks.int64(0, "count") == 3)
        }
    }
}
