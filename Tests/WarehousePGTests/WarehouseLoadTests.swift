import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

@Suite(.serialized) struct WarehouseLoadTests {
    static let days = Samples.days("2026-10-25", "2026-11-03")

    static func fullBatch(base: Int64 = 10) -> NormalizedBatch {
        var batch = Samples.templates(days: days, templates: 4, base: base)
        batch.templates = []
        return batch
    }

    /// `n_tup_upd` of a fact's partitions, once the loader's statistics have reached the server.
    static func updatesSeen(_ h: WarehouseHarness) throws -> Int64 {
        try h.int("""
            SELECT coalesce(sum(n_tup_upd), 0) FROM pg_stat_user_tables
            WHERE schemaname = 'mm' AND relname ~ '^(fact_|dim_template_version)'
            """)
    }

    /// Closes the warehouse's connections (a backend flushes its statistics when it exits) and waits
    /// until the run items it inserted show up in the statistics.
    static func flushStatistics(_ h: WarehouseHarness, runItemsInserted: Int64) async throws {
        h.warehouse.close()
        for _ in 0..<100 {
            try h.connection.execute("SELECT pg_stat_clear_snapshot()")
            if try h.int("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relid = 'etl.run_items'::regclass") >= runItemsInserted {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("statistics of the loader never arrived")
    }

    @Test func loadingTheSameBatchTwiceChangesNothing() async throws {
        let h = try WarehouseHarness("wh_idem")
        let run1 = try await h.beginRun()
        let pricing = NormalizedBatch(pricing: Samples.pricing(days: Self.days, perDay: 40))
        var first = try await h.load(pricing, dataset: "pricing", window: (Self.days.first!, Self.days.last!),
                                     finalBefore: "2026-10-28", runID: run1, watermark: Self.days.last!)
        #expect(first.inserted == 400 && first.updated == 0 && first.unchanged == 0)
        first = try await h.load(Self.fullBatch(), dataset: "templates", window: (Self.days.first!, Self.days.last!),
                                 finalBefore: "2026-10-28", runID: run1, watermark: Self.days.last!)
        #expect(first.inserted == 40 + 80 + 80 && first.rowsCopied == 200 && first.bytesCopied > 0)
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing WHERE is_final") == 120)

        try await Self.flushStatistics(h, runItemsInserted: 2)
        let before = try h.digests()
        let updatesBefore = try Self.updatesSeen(h)
        let revisionsBefore = try h.int("SELECT count(*) FROM etl.fact_revisions")

        let run2 = try await h.beginRun()
        let second = try await h.load(pricing, dataset: "pricing", window: (Self.days.first!, Self.days.last!),
                                      finalBefore: "2026-10-28", runID: run2, watermark: Self.days.last!)
        #expect(second.inserted == 0 && second.updated == 0 && second.unchanged == 400 && second.revisions == 0)
        let again = try await h.load(Self.fullBatch(), dataset: "templates", window: (Self.days.first!, Self.days.last!),
                                     finalBefore: "2026-10-28", runID: run2, watermark: Self.days.last!)
        #expect(again.unchanged == 200)
        try await Self.flushStatistics(h, runItemsInserted: 4)

        #expect(try h.digests() == before)
        #expect(try h.int("SELECT count(*) FROM etl.fact_revisions") == revisionsBefore)
        #expect(try Self.updatesSeen(h) == updatesBefore)
        #expect(try h.int("SELECT count(*) FROM etl.run_items WHERE run_id = $1 AND status = 'succeeded' AND rows_unchanged > 0", [run2]) == 2)
    }

    @Test func changedValuesBumpRevisionsAndOlderDaysBecomeFinal() async throws {
        let h = try WarehouseHarness("wh_rev")
        let window = (Self.days.first!, Self.days.last!)
        let run1 = try await h.beginRun()
        _ = try await h.load(Self.fullBatch(), dataset: "templates", window: window, finalBefore: "2026-10-25", runID: run1)
        #expect(try h.int("SELECT count(*) FROM mm.fact_template_daily WHERE is_final") == 0)

        // A later as-of: the last three days' numbers moved for template 991000 only.
        var later = Self.fullBatch()
        let moved = Set(Self.days.suffix(3))
        for i in later.templateDaily.indices where moved.contains(later.templateDaily[i].day) && later.templateDaily[i].templateID == "991000" {
            later.templateDaily[i].delivered += 5
            later.templateDaily[i].amountSpent = nil
        }
        for i in later.conversions.indices where moved.contains(later.conversions[i].day) && later.conversions[i].templateID == "991000"
            && later.conversions[i].metric == "website_purchases" {
            later.conversions[i].value += 1
        }
        let run2 = try await h.beginRun()
        let laterFetch = Samples.fetchTime.addingTimeInterval(86_400)
        let stats = try await h.load(later, dataset: "templates", window: window, finalBefore: "2026-11-01", runID: run2,
                                     fetchedAt: laterFetch)
        #expect(stats.updated == 6 && stats.revisions == 6 && stats.inserted == 0 && stats.unchanged == 194)

        let changed = try h.rows("""
            SELECT template_id, to_char(day, 'YYYY-MM-DD') AS day, revision, run_id, extract(epoch FROM last_fetched_at)::float8 AS last,
                   extract(epoch FROM first_fetched_at)::float8 AS first
            FROM mm.fact_template_daily WHERE revision > 0 ORDER BY day
            """)
        #expect(changed.count == 3)
        for row in changed {
            #expect(try row.string("template_id") == "991000" && moved.contains(try row.string("day") ?? ""))
            #expect(try row.int64("revision") == 1 && row.int64("run_id") == run2)
            #expect(try row.double("last") == laterFetch.timeIntervalSince1970)
            #expect(try row.double("first") == Samples.fetchTime.timeIntervalSince1970)
        }
        // Unchanged rows keep run 1 and their fetch time.
        #expect(try h.int("SELECT count(*) FROM mm.fact_template_daily WHERE revision = 0 AND run_id = $1 AND last_fetched_at = first_fetched_at", [run1]) == 37)

        let revision = try h.rows("""
            SELECT fact_key::text AS key, jsonb_object_agg(column_name, old_value)::text AS old,
                   jsonb_object_agg(column_name, new_value)::text AS new, min(run_id) AS run_id
            FROM mm.v_fact_revisions
            WHERE fact_table = 'mm.fact_template_daily' AND day = '2026-11-03'
            GROUP BY revision_id, fact_key
            """)
        #expect(revision.count == 1)
        #expect(try revision.string(0, "key") == #"{"day": "2026-11-03", "product": "mm_api", "waba_id": "102290129340398", "template_id": "991000"}"#)
        #expect(try revision.string(0, "old") == #"{"delivered": 9, "amount_spent": 0.1}"#)
        #expect(try revision.string(0, "new") == #"{"delivered": 14, "amount_spent": null}"#)
        #expect(try revision.int64(0, "run_id") == run2)
        #expect(try h.int("SELECT count(*) FROM mm.v_fact_revisions WHERE fact_table = 'mm.fact_conversions' AND column_name = 'value'") == 3)
        // Recorded per fact, WABA and day: the 3 days of each fact, 6 revisions in all.
        #expect(try h.int("SELECT count(*) FROM etl.fact_revisions") == 6)
        #expect(try h.int("SELECT sum(cardinality(revision_ids)) FROM etl.fact_revisions") == 6)

        // Days before 2026-11-01 are final now, later ones are not; nothing else was rewritten.
        #expect(try h.int("SELECT count(*) FROM mm.fact_template_daily WHERE is_final <> (day < '2026-11-01')") == 0)
        #expect(try h.int("SELECT count(*) FROM mm.fact_template_clicks WHERE is_final <> (day < '2026-11-01')") == 0)
        #expect(try h.int("SELECT rows_finalized FROM etl.run_items WHERE run_id = $1", [run2]) == 7 * 20)
    }

    @Test func stringsSurviveExactly() async throws {
        let h = try WarehouseHarness("wh_strings")
        let nasty = [
            "it's \"quoted\"", #"back\slash \N \\N"#, "tab\there", "new\nline\r\n", "emoji 😀👍🏽🇩🇪 ünïcødé", "\\", ".", "\\.",
            "nul\u{0}inside", String(repeating: "long·", count: 200),
        ]
        let run = try await h.beginRun()
        var batch = NormalizedBatch()
        for (i, text) in nasty.enumerated() {
            batch.templateClicks.append(TemplateClickRow(wabaID: Samples.waba, templateID: "1", product: .cloudAPI, day: "2026-11-01",
                                                         buttonType: "url_button", buttonContent: text, count: Int64(i)))
            batch.conversions.append(ConversionRow(wabaID: Samples.waba, templateID: "1", product: .mmAPI, day: "2026-11-01",
                                                   metric: "custom \(text)", value: Decimal(i), currency: "EUR"))
            batch.templates.append(TemplateRow(wabaID: Samples.waba, templateID: "t\(i)", name: text, language: "en_US",
                                               category: "MARKETING", status: "APPROVED", qualityScore: "", bidAmount: nil,
                                               bidCurrency: "", ttlSeconds: nil))
        }
        _ = try await h.load(batch, dataset: "templates", window: ("2026-11-01", "2026-11-01"), finalBefore: "2026-10-01", runID: run)
        let expected = nasty.map { $0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        let buttons = try h.rows("SELECT button_content FROM mm.fact_template_clicks ORDER BY count").map { try $0.string("button_content") }
        #expect(buttons == expected)
        let metrics = try h.rows("SELECT metric FROM mm.fact_conversions ORDER BY value").map { try $0.string("metric") }
        #expect(metrics == expected.map { "custom \($0)" })
        let names = try h.rows("SELECT name FROM mm.dim_template ORDER BY substr(template_id, 2)::int").map { try $0.string("name") }
        #expect(names == expected)
        // And loading them again changes nothing.
        let digest = try h.digests()
        let again = try await h.load(batch, dataset: "templates", window: ("2026-11-01", "2026-11-01"), finalBefore: "2026-10-01", runID: run)
        #expect(again.updated == 0 && again.inserted == 0)
        #expect(try h.digests() == digest)
    }

    @Test func moneyIsWrittenInPlainDecimalNotation() async throws {
        let h = try WarehouseHarness("wh_money")
        let run = try await h.beginRun()
        let amounts = ["1e30", "1e-20", "123.4500", "-0.000001", "12345678901234567890123456789012345678", "0"]
        var batch = NormalizedBatch()
        for (i, text) in amounts.enumerated() {
            #expect(!DecimalText.plain(Decimal(string: text)!).lowercased().contains("e"))
            batch.conversions.append(ConversionRow(wabaID: Samples.waba, templateID: "1", product: .mmAPI, day: "2026-11-01",
                                                   metric: "m\(i)", value: Decimal(string: text)!, currency: "EUR"))
        }
        _ = try await h.load(batch, dataset: "templates", window: ("2026-11-01", "2026-11-01"), finalBefore: "2026-10-01", runID: run)
        let stored = try h.rows("SELECT value::text AS v FROM mm.fact_conversions ORDER BY metric").map { try $0.string("v") ?? "" }
        #expect(stored == ["1000000000000000000000000000000", "0.00000000000000000001", "123.45", "-0.000001",
                           "12345678901234567890123456789012345678", "0"])
    }

    @Test func fastDecimalTextMatchesDescription() {
        var generator = SystemRandomNumberGenerator()
        var samples: [Decimal] = [.nan, 0, Decimal(string: "-0")!, Decimal(string: "1e30")!, Decimal(string: "18446744073709551615")!,
                                  Decimal(string: "18446744073709551616.5")!, Decimal(string: "-12.50")!, Decimal(0.1)]
        for _ in 0..<20_000 {
            let magnitude = UInt64.random(in: 0...1_000_000_000_000_000, using: &generator)
            samples.append(Decimal(sign: Bool.random(using: &generator) ? .minus : .plus, exponent: Int.random(in: -25...25, using: &generator),
                                   significand: Decimal(magnitude)))
        }
        for value in samples { #expect(DecimalText.plain(value) == value.description) }
    }

    @Test func partitionsAreCreatedOnDemandForAMonthSpanningSlice() async throws {
        let h = try WarehouseHarness("wh_parts")
        let run = try await h.beginRun()
        let days = Samples.days("2026-12-30", "2027-01-02")
        _ = try await h.load(NormalizedBatch(pricing: Samples.pricing(days: days, perDay: 5)), dataset: "pricing",
                             window: (days.first!, days.last!), finalBefore: "2026-12-01", runID: run)
        let partitions = try h.rows("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'mm.fact_pricing'::regclass ORDER BY 1
            """).map { try $0.string("relname") ?? "" }
        #expect(partitions == ["fact_pricing_p202612", "fact_pricing_p202701"])
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing_p202612") == 10)
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing_p202701") == 10)
        #expect(h.logs.entries.contains { $0.message.contains("created month partitions") })
        #expect(Partitions.months(from: "2026-11-30", to: "2027-02-01") == ["2026-11", "2026-12", "2027-01", "2027-02"])
    }

    @Test func aFailingRowRollsTheWholeSliceBackAndARetryLoadsIt() async throws {
        let h = try WarehouseHarness("wh_fail")
        let run = try await h.beginRun()
        var bad = NormalizedBatch(pricing: Samples.pricing(days: Self.days, perDay: 50))
        bad.pricing[bad.pricing.count - 1].day = "2026-11-31"  // not a date: COPY rejects the last row
        await #expect(throws: PGError.self) {
            _ = try await h.load(bad, dataset: "pricing", window: (Self.days.first!, Self.days.last!), finalBefore: "2026-10-28",
                                 runID: run, watermark: Self.days.last!, backfillKey: "bf1")
        }
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == 0)
        #expect(try h.int("SELECT count(*) FROM etl.run_items") == 0)
        #expect(try h.int("SELECT count(*) FROM etl.watermarks") == 0)
        #expect(try h.int("SELECT count(*) FROM etl.backfill_chunks") == 0)

        let good = NormalizedBatch(pricing: Samples.pricing(days: Self.days, perDay: 50))
        let stats = try await h.load(good, dataset: "pricing", window: (Self.days.first!, Self.days.last!), finalBefore: "2026-10-28",
                                     runID: run, watermark: Self.days.last!)
        #expect(stats.inserted == 500)
        #expect(try h.string("SELECT to_char(watermark, 'YYYY-MM-DD') FROM etl.watermarks") == Self.days.last!)
    }

    @Test func terminatingTheLoadingBackendMidCopyLeavesNothingAndARerunLoadsFully() async throws {
        let h = try WarehouseHarness("wh_kill")
        let run = try await h.beginRun()
        let days = Samples.days("2026-09-01", "2026-10-30")
        let big = NormalizedBatch(pricing: Samples.pricing(days: days, perDay: 5_000))  // 300k rows
        let window = (days.first!, days.last!)
        let loading = Task { try await h.load(big, dataset: "pricing", window: window, finalBefore: "2026-10-01", runID: run, watermark: days.last!) }
        var terminated = false
        for _ in 0..<400 where !terminated {
            let pid = try h.rows("""
                SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND query LIKE 'COPY pg_temp.mmetl_stg_fact_pricing%' AND state = 'active'
                """)
            if pid.count > 0 {
                terminated = try h.rows("SELECT pg_terminate_backend($1::int)", [try pid.int(0, "pid")]).bool(0, 0) ?? false
            } else {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        #expect(terminated)
        await #expect(throws: (any Error).self) { _ = try await loading.value }
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == 0)
        #expect(try h.int("SELECT count(*) FROM etl.run_items") == 0)
        #expect(try h.int("SELECT count(*) FROM etl.watermarks") == 0)

        let stats = try await h.load(big, dataset: "pricing", window: window, finalBefore: "2026-10-01", runID: run, watermark: days.last!)
        #expect(stats.inserted == 300_000)
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == 300_000)
        #expect(try h.int("SELECT count(*) FROM etl.run_items WHERE status = 'succeeded'") == 1)
    }

    @Test func concurrentOverlappingSlicesSerializeOnTheLockAndEndAsOne() async throws {
        let reference = try WarehouseHarness("wh_conc_ref")
        let h = try WarehouseHarness("wh_conc")
        let days = Samples.days("2026-10-01", "2026-10-20")
        let early = NormalizedBatch(pricing: Samples.pricing(days: Array(days.prefix(15)), perDay: 2_000, base: 1))
        let late = NormalizedBatch(pricing: Samples.pricing(days: Array(days.suffix(15)), perDay: 2_000, base: 2))
        for harness in [reference, h] { _ = try await harness.beginRun() }

        // Reference: one after the other.
        _ = try await reference.load(early, dataset: "pricing", window: (days[0], days[14]), finalBefore: "2026-10-10", runID: 1, watermark: days[14])
        _ = try await reference.load(late, dataset: "pricing", window: (days[5], days[19]), finalBefore: "2026-10-10", runID: 1, watermark: days[19])

        // Concurrently, while the test holds the slice lock: both wait (and say so), then run one at a time.
        let key = PGWarehouse.sliceLockKey(SliceIdentity(pipeline: Samples.pipeline, wabaID: Samples.waba, dataset: "pricing",
                                                         windowStart: "", windowEnd: ""))
        try h.connection.advisoryLock(key)
        let other = h.otherWarehouse()
        defer { other.close() }
        let a = Task { try await h.load(early, dataset: "pricing", window: (days[0], days[14]), finalBefore: "2026-10-10", runID: 1, watermark: days[14]) }
        let b = Task {
            try await other.loadSlice(Samples.slice(late, dataset: "pricing", window: (days[5], days[19]), finalBefore: "2026-10-10",
                                                    runID: 1, watermark: days[19]))
        }
        for _ in 0..<400 where h.logs.entries.filter({ $0.message.contains("waiting for slice lock") }).count < 2 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(h.logs.entries.filter { $0.message.contains("waiting for slice lock") }.count == 2)
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == 0)
        try h.connection.advisoryUnlock(key)
        let statsA = try await a.value
        let statsB = try await b.value
        #expect(statsA.inserted + statsB.inserted == 40_000)
        #expect(statsA.updated + statsB.updated == 20_000)  // the 10 overlapping days changed value

        func content(_ harness: WarehouseHarness) throws -> String {
            try harness.string("""
                SELECT md5(string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s', waba_id, bucket_start, phone_number, country, pricing_category,
                    tier, volume, cost), ',' ORDER BY waba_id, bucket_start, phone_number, country, pricing_category, tier))
                FROM mm.fact_pricing
                """) ?? ""
        }
        // Whatever order the lock gave them, the later window's values win on the overlap only if it ran
        // last; both orders are serial, so compare with the matching reference.
        let lastWasLate = try h.int("SELECT count(*) FROM mm.fact_pricing WHERE volume = 2001 AND day = '2026-10-10'") > 0
        if lastWasLate {
            #expect(try content(h) == content(reference))
        } else {
            let swapped = try WarehouseHarness("wh_conc_ref2")
            _ = try await swapped.beginRun()
            _ = try await swapped.load(late, dataset: "pricing", window: (days[5], days[19]), finalBefore: "2026-10-10", runID: 1)
            _ = try await swapped.load(early, dataset: "pricing", window: (days[0], days[14]), finalBefore: "2026-10-10", runID: 1)
            #expect(try content(h) == content(swapped))
        }
        #expect(try h.string("SELECT to_char(watermark, 'YYYY-MM-DD') FROM etl.watermarks") == days[19])
    }
}
