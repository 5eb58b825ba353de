import Foundation
import Testing
@testable import MMCore

/// The 2026 API surface in the normalizers: max-price under `optimization_spec`, `send_type`,
/// the `REPLIED` metric, and the pricing grain on every row.
@Suite struct Graph2026NormalizerTests {
    @Test func maxPriceIsReadFromOptimizationSpecElseBidSpecAndKeptRaw() throws {
        let json = #"""
        {"data":[
          {"id":"1","name":"a","optimization_spec":{"bid_amount":5000,"bid_strategy":"MAX_PRICE"},"send_type":"CAMPAIGN"},
          {"id":"2","name":"b","bid_spec":{"bid_amount":"87000","currency":"INR"}},
          {"id":"3","name":"c","optimization_spec":{"bid_amount":150},"bid_spec":{"bid_amount":1}},
          {"id":"4","name":"d","send_type":"SOMETHING_NEW"}
        ]}
        """#
        let b = try CatalogNormalizer.normalize(Array(json.utf8), context: PageContext(wabaID: "w", currency: "MXN", timezone: "UTC", source: "c"))
        #expect(b.templates.map(\.bidAmount) == [5000, 87000, 150, nil])
        #expect(b.templates.map(\.bidCurrency) == ["MXN", "INR", "MXN", ""])
        #expect(b.templates.map(\.bidStrategy) == ["MAX_PRICE", "", "", ""])
        #expect(b.templates.map(\.sendType) == ["CAMPAIGN", "", "", "SOMETHING_NEW"])
    }

    @Test func theDefaultCatalogFieldsAskForOptimizationSpecAndSendType() {
        #expect(CatalogDataset.defaultFields.contains("optimization_spec"))
        #expect(CatalogDataset.defaultFields.contains("send_type"))
        #expect(!CatalogDataset.defaultFields.contains("bid_spec"))
    }

    @Test func repliedIsADailyColumnNotAConversion() throws {
        let json = #"{"data":[{"product_type":"MARKETING_MESSAGES_LITE_API","data_points":[{"template_id":"7","start":"2026-11-01","end":"2026-11-02","sent":10,"delivered":9,"read":6,"replied":"2","website_purchases":1,"brand_new_metric":4}]}]}"#
        let ctx = PageContext(wabaID: "w", currency: "USD", timezone: "UTC", requestedProductType: "MARKETING_MESSAGES_LITE_API",
                              useWABATimezone: true, source: "t")
        let b = try TemplateAnalyticsNormalizer.normalize(Array(json.utf8), context: ctx)
        #expect(b.templateDaily.map(\.replied) == [2])
        #expect(Set(b.conversions.map(\.metric)) == ["website_purchases", "brand_new_metric"])
        let without = #"{"data":[{"data_points":[{"template_id":"7","start":"2026-11-01","end":"2026-11-02","sent":1}]}]}"#
        #expect(try TemplateAnalyticsNormalizer.normalize(Array(without.utf8), context: ctx).templateDaily.map(\.replied) == [nil])
    }

    @Test func pricingRowsCarryTheirGrain() throws {
        #expect(PricingGrain.canonical(["TIER", "country", "PHONE", "COUNTRY"]) == "COUNTRY,PHONE,TIER")
        #expect(PricingGrain.canonical([]) == "")
        #expect(PricingGrain.listParameter("[PRICING_CATEGORY,COUNTRY]") == ["PRICING_CATEGORY", "COUNTRY"])
        #expect(PricingGrain.listParameter(#"["A", "B"]"#) == ["A", "B"])
        let json = #"{"data":[{"data_points":[{"start":0,"end":86400,"country":"IN","volume":3}]}]}"#
        let ctx = PageContext(wabaID: "1", currency: "INR", timezone: "UTC", pricingDimensions: "COUNTRY", source: "p")
        let b = try PricingNormalizer.normalize(Array(json.utf8), context: ctx)
        #expect(b.pricing.map(\.dimensions) == ["COUNTRY"])
        // Two grains of one bucket are two rows, never one overwriting the other.
        var two = b
        two.pricing.append(contentsOf: try PricingNormalizer.normalize(Array(json.utf8), context: PageContext(
            wabaID: "1", currency: "INR", timezone: "UTC", pricingDimensions: "COUNTRY,TIER", source: "p")).pricing)
        #expect(two.deduplicated().pricing.count == 2)
    }

    @Test func aChangedGrainIsReportedWithTheBackfillThatFixesIt() {
        let loaded = [
            LoadedPricingGrain(wabaID: "b", grain: "COUNTRY,PHONE,PRICING_CATEGORY,PRICING_TYPE,TIER", firstDay: "2026-09-01", lastDay: "2026-11-20"),
            LoadedPricingGrain(wabaID: "a", grain: "COUNTRY,PRICING_CATEGORY", firstDay: "2026-10-01", lastDay: "2026-11-20"),
        ]
        let changes = PricingGrain.changes(loaded: loaded, granularity: "DAILY",
                                           configuredDimensions: ["PRICING_CATEGORY", "PRICING_TYPE", "COUNTRY", "PHONE", "TIER"])
        #expect(changes.map(\.wabaID) == ["a"])
        let text = changes.first?.description ?? ""
        #expect(text.contains("[COUNTRY,PRICING_CATEGORY]") && text.contains("[COUNTRY,PHONE,PRICING_CATEGORY,PRICING_TYPE,TIER]"))
        #expect(text.contains("mmetl backfill") && text.contains("--dataset pricing --waba a --from 2026-10-01 --to 2026-11-20"))
    }
}
