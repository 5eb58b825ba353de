import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// Facts loaded while a WABA's timezone id fell back to UTC get their days re-derived when the
/// timezone becomes known, so a corrected re-fetch updates them instead of doubling every sum.
@Suite(.serialized) struct TimezoneRealignTests {
    static let zone = "Asia/Kolkata"
    static let days = Samples.days("2026-10-30", "2026-11-02")

    static func info(_ timezone: String, source: String) -> WABAInfo {
        WABAInfo(wabaID: Samples.waba, name: "Kurta Kart", currency: "INR", timezoneID: "71", timezone: timezone,
                 timezoneSource: source, industry: "apparel", country: "IN", onboardingStatus: "ONBOARDED", insightsEnabled: true)
    }

    /// Kolkata-midnight buckets as the normalizer reads them in `tz` (UTC = the old fallback).
    static func batch(readIn tz: String) -> (pricing: NormalizedBatch, templates: NormalizedBatch) {
        var pricing = NormalizedBatch()
        var templates = Samples.templates(days: days, templates: 2)
        templates.templates = []
        for d in days {
            let start = TimeZones.localMidnight(Day(d)!, in: zone)
            let day = TimeZones.localDay(epochSeconds: start, in: tz).description
            for (i, country) in ["IN", "AE"].enumerated() {
                pricing.pricing.append(PricingRow(
                    wabaID: Samples.waba, granularity: "DAILY", bucketStart: start, bucketEnd: start + 86_400, day: day,
                    phoneNumber: "", country: country, pricingCategory: "MARKETING_LITE", pricingType: "REGULAR", tier: "0:MAX",
                    product: .mmAPI, volume: 10 + Int64(i), cost: 1, currency: "INR", wabaTimezone: tz, dimensions: "COUNTRY,PRICING_CATEGORY"))
            }
        }
        let dayOf = Dictionary(uniqueKeysWithValues: days.map { d in
            (d, TimeZones.localDay(epochSeconds: TimeZones.localMidnight(Day(d)!, in: zone), in: tz).description)
        })
        for i in templates.templateDaily.indices {
            let d = templates.templateDaily[i].day
            templates.templateDaily[i].bucketStart = TimeZones.localMidnight(Day(d)!, in: zone)
            templates.templateDaily[i].bucketEnd = templates.templateDaily[i].bucketStart + 86_400
            templates.templateDaily[i].wabaTimezone = tz
            templates.templateDaily[i].day = dayOf[d]!
        }
        for i in templates.templateClicks.indices { templates.templateClicks[i].day = dayOf[templates.templateClicks[i].day]! }
        for i in templates.conversions.indices { templates.conversions[i].day = dayOf[templates.conversions[i].day]! }
        return (pricing, templates)
    }

    @Test func aKnownTimezoneMovesFallbackDaysAndTheRefetchAddsNoRow() async throws {
        let h = try WarehouseHarness("wh_realign")
        let run1 = try await h.beginRun()
        try await h.warehouse.upsertWABA(Self.info("UTC", source: "utc-fallback"), phones: [], runID: run1)
        let old = Self.batch(readIn: "UTC")
        let window = ("2026-10-29", "2026-11-02")
        _ = try await h.load(old.pricing, dataset: "pricing", window: window, finalBefore: "2026-10-01", runID: run1)
        _ = try await h.load(old.templates, dataset: "templates", window: window, finalBefore: "2026-10-01", runID: run1)
        #expect(try h.string("SELECT min(day)::text FROM mm.fact_pricing") == "2026-10-29")   // the UTC date: one day early

        let run2 = try await h.beginRun()
        try await h.warehouse.upsertWABA(Self.info(Self.zone, source: "table"), phones: [], runID: run2)
        #expect(try h.string("SELECT string_agg(DISTINCT day::text, ',' ORDER BY day::text) FROM mm.fact_pricing") == Self.days.joined(separator: ","))
        #expect(try h.string("SELECT string_agg(DISTINCT waba_timezone, ',') FROM mm.fact_pricing") == Self.zone)
        for table in ["mm.fact_template_daily", "mm.fact_template_clicks", "mm.fact_conversions"] {
            #expect(try h.string("SELECT string_agg(DISTINCT day::text, ',' ORDER BY day::text) FROM \(table)") == Self.days.joined(separator: ","), "\(table)")
        }

        let right = Self.batch(readIn: Self.zone)
        let p = try await h.load(right.pricing, dataset: "pricing", window: (Self.days.first!, Self.days.last!), finalBefore: "2026-10-01", runID: run2)
        let t = try await h.load(right.templates, dataset: "templates", window: (Self.days.first!, Self.days.last!), finalBefore: "2026-10-01", runID: run2)
        #expect(p.inserted == 0 && t.inserted == 0, "\(p) \(t)")
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == Int64(right.pricing.pricing.count))
        #expect(try h.int("SELECT sum(volume) FROM mm.fact_pricing") == right.pricing.pricing.reduce(0) { $0 + $1.volume })
        #expect(try h.int("SELECT count(*) FROM mm.fact_template_daily") == Int64(right.templates.templateDaily.count))
        #expect(try h.int("SELECT count(*) FROM mm.fact_conversions") == Int64(right.templates.conversions.count))

        // An unchanged timezone moves nothing.
        try await h.warehouse.upsertWABA(Self.info(Self.zone, source: "table"), phones: [], runID: run2)
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing WHERE revision > 0") == 0)
    }

    @Test func postgresKnowsEveryZoneOfMetasTable() throws {
        let h = try WarehouseHarness("wh_tzdb")
        let zones = "{" + TimeZones.byMetaID.values.sorted().joined(separator: ",") + "}"
        let unknown = try h.string("SELECT string_agg(z, ',') FROM unnest($1::text[]) z WHERE z NOT IN (SELECT name FROM pg_timezone_names)", [zones])
        #expect(unknown == nil, "unknown to PostgreSQL: \(unknown ?? "")")
    }
}
