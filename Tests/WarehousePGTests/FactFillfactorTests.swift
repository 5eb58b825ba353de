import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// Fact partitions keep half of each page free (migration 0110), so a reload in which every value
/// changed updates every row in place (HOT: no new primary-key entry).
@Suite(.serialized) struct FactFillfactorTests {
    @Test func anAllChangedReloadKeepsEveryRowOnItsPage() async throws {
        let h = try WarehouseHarness("wh_fillfactor")
        let days = Samples.days("2026-10-01", "2026-10-10")
        let window = (days.first!, days.last!)
        let rows = Samples.pricing(days: days, perDay: 300)
        let run1 = try await h.beginRun()
        let first = try await h.load(NormalizedBatch(pricing: rows), dataset: "pricing", window: window,
                                     finalBefore: "2026-09-01", runID: run1)
        #expect(first.inserted == 3_000)

        let options = try h.rows("""
            SELECT DISTINCT array_to_string(c.reloptions, ',') AS options
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'mm.fact_pricing'::regclass
            """)
        #expect(try options.count == 1 && options.string(0, "options") == "fillfactor=50")

        let blocks = """
            SELECT count(*) FROM mm.fact_pricing f JOIN pg_temp.blocks_before b
              ON b.key = (f.phone_number, f.country, f.pricing_category, f.tier, f.day)::text
            WHERE b.block <> (f.ctid::text::point)[0]
            """
        try h.connection.execute("""
            CREATE TEMPORARY TABLE blocks_before AS
            SELECT (phone_number, country, pricing_category, tier, day)::text AS key, (ctid::text::point)[0] AS block
            FROM mm.fact_pricing
            """)
        #expect(try h.int("SELECT count(*) FROM pg_temp.blocks_before") == 3_000)
        #expect(try h.int(blocks) == 0)

        let run2 = try await h.beginRun()
        let changed = rows.map { row -> PricingRow in
            var row = row
            row.volume += 1
            return row
        }
        let second = try await h.load(NormalizedBatch(pricing: changed), dataset: "pricing", window: window,
                                      finalBefore: "2026-09-01", runID: run2)
        #expect(second.updated == 3_000 && second.revisions == 3_000)
        // An update that fits on its page is HOT; one that does not moves the row to another page.
        #expect(try h.int(blocks) == 0)
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing WHERE revision = 1 AND run_id = $1", [run2]) == 3_000)
    }
}
