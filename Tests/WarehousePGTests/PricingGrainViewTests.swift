import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// Two pricing grains of the same days are both kept (the grain is in the key), and the views sum
/// one grain per WABA and day, so a change of `datasets.pricing.dimensions` never double counts.
@Suite(.serialized) struct PricingGrainViewTests {
    static func rows(days: [String], grain: String, breakdown: [String]) -> NormalizedBatch {
        var b = NormalizedBatch()
        for d in days {
            let start = Day(d)!.epochSecondsUTC
            for (i, country) in breakdown.enumerated() {
                b.pricing.append(PricingRow(
                    wabaID: Samples.waba, granularity: "DAILY", bucketStart: start, bucketEnd: start + 86_400, day: d,
                    phoneNumber: "", country: country, pricingCategory: "MARKETING_LITE", pricingType: "", tier: "",
                    product: .mmAPI, volume: breakdown.count == 1 ? 30 : 10 * Int64(i + 1), cost: nil, currency: "USD",
                    wabaTimezone: "UTC", dimensions: grain))
            }
        }
        return b
    }

    @Test func viewsReadOneGrainPerDayAndTheLoadedGrainIsReported() async throws {
        let h = try WarehouseHarness("wh_grain")
        let run1 = try await h.beginRun()
        // Grain 1: by country (10 + 20 per day); grain 2, from 2026-11-03 on: no country (30 per day). Same messages.
        let first = Self.rows(days: Samples.days("2026-11-01", "2026-11-04"), grain: "COUNTRY,PRICING_CATEGORY", breakdown: ["IN", "AE"])
        _ = try await h.load(first, dataset: "pricing", window: ("2026-11-01", "2026-11-04"), finalBefore: "2026-10-01", runID: run1)
        let grains1 = try await h.warehouse.loadedPricingGrains(granularity: "DAILY")
        #expect(grains1 == [LoadedPricingGrain(wabaID: Samples.waba, grain: "COUNTRY,PRICING_CATEGORY", firstDay: "2026-11-01", lastDay: "2026-11-04")])

        let run2 = try await h.beginRun()
        let second = Self.rows(days: Samples.days("2026-11-03", "2026-11-05"), grain: "PRICING_CATEGORY", breakdown: [""])
        _ = try await h.load(second, dataset: "pricing", window: ("2026-11-03", "2026-11-05"), finalBefore: "2026-10-01", runID: run2,
                             fetchedAt: Samples.fetchTime.addingTimeInterval(86_400))
        #expect(try h.int("SELECT count(*) FROM mm.fact_pricing") == 8 + 3)
        #expect(try h.int("SELECT sum(volume) FROM mm.fact_pricing WHERE day = '2026-11-03'") == 60)   // both grains
        #expect(try h.string("SELECT string_agg(day || '=' || v, ',' ORDER BY day) FROM (SELECT day, sum(volume) v FROM mm.v_pricing GROUP BY day) s")
                == "2026-11-01=30,2026-11-02=30,2026-11-03=30,2026-11-04=30,2026-11-05=30")
        #expect(try h.int("SELECT sum(pricing_mm_api) FROM mm.v_route_mix") == 150)
        let grains2 = try await h.warehouse.loadedPricingGrains(granularity: "DAILY")
        #expect(grains2.map(\.grain) == ["PRICING_CATEGORY"])
        #expect(PricingGrain.changes(loaded: grains2, granularity: "DAILY", configuredDimensions: ["PRICING_CATEGORY"]).isEmpty)
    }
}
