import Foundation
import Testing
@testable import MMCore

@Suite struct NormalizerTests {
    @Test func pricingDocExampleGivesExactRows() throws {
        let ctx = PageContext(wabaID: "102290129340398", currency: "USD", timezone: "America/Los_Angeles", source: "p.json.gz")
        let b = try PricingNormalizer.normalize(try Fixture.bytes("pricing_doc_example.json"), context: ctx)
        #expect(b.dataPoints == 3)
        #expect(b.pricing == [
            PricingRow(wabaID: "102290129340398", granularity: "DAILY", bucketStart: 1748761200, bucketEnd: 1748847600, day: "2025-06-01",
                       phoneNumber: "15550783881", country: "US", pricingCategory: "UTILITY", pricingType: "REGULAR", tier: "0:2",
                       product: .other, volume: 1, cost: 10, currency: "USD", wabaTimezone: "America/Los_Angeles"),
            PricingRow(wabaID: "102290129340398", granularity: "DAILY", bucketStart: 1748761200, bucketEnd: 1748847600, day: "2025-06-01",
                       phoneNumber: "", country: "US", pricingCategory: "MARKETING_LITE", pricingType: "REGULAR", tier: "0:MAX",
                       product: .mmAPI, volume: 1, cost: 10, currency: "USD", wabaTimezone: "America/Los_Angeles"),
            PricingRow(wabaID: "102290129340398", granularity: "DAILY", bucketStart: 1748847600, bucketEnd: 1748934000, day: "2025-06-02",
                       phoneNumber: "", country: "US", pricingCategory: "SERVICE", pricingType: "FREE_ENTRY_POINT", tier: "",
                       product: .other, volume: 6, cost: 0, currency: "USD", wabaTimezone: "America/Los_Angeles"),
        ])
        #expect(b.diagnostics.isEmpty)
    }

    @Test func missingCostIsNullAndUnknownCategoriesAreKept() throws {
        let json = #"{"data":[{"data_points":[{"start":0,"end":86400,"pricing_category":"MARKETING_LITE_DYNAMIC","volume":"4"},{"start":0,"end":86400,"pricing_category":"HOLOGRAM","volume":2,"cost":"0.125"}]}]}"#
        let b = try PricingNormalizer.normalize(Array(json.utf8), context: PageContext(wabaID: "1", currency: "EUR", timezone: "UTC", source: "s"))
        #expect(b.pricing.map(\.cost) == [nil, Decimal(string: "0.125")])
        #expect(b.pricing.map(\.product) == [.mmAPI, .other])
        #expect(b.pricing.map(\.volume) == [4, 2])
        #expect(b.diagnostics == [Diagnostic(kind: .unknownEnum, subject: "pricing_category", value: "HOLOGRAM")])
    }

    @Test func templateDocExampleGivesMetricsAndButtons() throws {
        let ctx = PageContext(wabaID: "9", currency: "USD", timezone: "America/Los_Angeles", requestedProductType: "CLOUD_API", useWABATimezone: false, source: "t")
        let b = try TemplateAnalyticsNormalizer.normalize(try Fixture.bytes("template_doc_example.json"), context: ctx)
        #expect(b.templateDaily.count == 1)
        let r = try #require(b.templateDaily.first)
        #expect(r.product == .cloudAPI && r.productType == "cloud_api")
        #expect(r.day == "2024-06-11")   // 1718064000 is 2024-06-11T00:00Z: UTC day without use_waba_timezone
        #expect((r.sent, r.delivered, r.read) == (1, 1, 1))
        #expect((r.urlClicks, r.uniqueURLClicks, r.quickReplyClicks) == (0, 16, 108))
        #expect(r.amountSpent == Decimal(string: "0.03") && r.costPerDelivered == Decimal(string: "0.03") && r.costPerURLClick == Decimal(string: "0.03"))
        #expect(b.templateClicks.map(\.buttonContent) == ["Contact Support", "Tell me more"])
        #expect(b.conversions.isEmpty)
    }

    @Test func mmConversionsInBothShapesIncludingNewNames() throws {
        let ctx = PageContext(wabaID: "7", currency: "BRL", timezone: "America/Sao_Paulo", requestedProductType: "MARKETING_MESSAGES_LITE_API", useWABATimezone: true, source: "archive/t.json.gz")
        let b = try TemplateAnalyticsNormalizer.normalize(try Fixture.bytes("template_mm_conversions.json"), context: ctx)
        #expect(b.templateDaily.map(\.templateID) == ["1421988012088524", "1421988012088525"])
        #expect(b.templateDaily.allSatisfy { $0.product == .mmAPI && $0.day == "2026-11-20" })
        #expect(b.templateDaily[0].sent == 120)
        #expect(b.templateDaily[0].amountSpent == Decimal(string: "1.375"))
        #expect(b.templateDaily[0].bucketStart == TimeZones.localMidnight(Day("2026-11-20")!, in: "America/Sao_Paulo"))
        let conv = Dictionary(uniqueKeysWithValues: b.conversions.map { ("\($0.templateID):\($0.metric)", $0.value) })
        #expect(conv["1421988012088524:website_purchases"] == 3)
        #expect(conv["1421988012088524:website_purchases_conversion_value"] == Decimal(string: "120.50"))
        #expect(conv["1421988012088524:website_brand_new_metric"] == 2)
        #expect(conv["1421988012088525:app_add_to_cart"] == 2)
        #expect(b.templateClicks.first?.buttonContent == "Shop \"now\" \\ 🛍")
        #expect(b.diagnostics.contains(Diagnostic(kind: .unknownMetric, subject: "template_analytics", value: "website_brand_new_metric")))
        #expect(b.diagnostics.contains(Diagnostic(kind: .other, subject: "template_analytics ignored key", value: "some_object_we_ignore")))
    }

    @Test func aPageWithoutDataNamesTheFile() {
        let ctx = PageContext(wabaID: "1", currency: "USD", timezone: "UTC", source: "templates/waba=1/2026-11-01/7-000003.json.gz")
        do {
            _ = try TemplateAnalyticsNormalizer.normalize(Array(#"{"paging":{}}"#.utf8), context: ctx)
            Issue.record("expected an error")
        } catch let e as NormalizeError {
            #expect(e.description.hasPrefix("templates/waba=1/2026-11-01/7-000003.json.gz: "))
        } catch { Issue.record("wrong error \(error)") }
        #expect(throws: NormalizeError.self) { try PricingNormalizer.normalize(Array("<html>".utf8), context: ctx) }
    }

    @Test func productVocabulary() {
        #expect(Product.ofPricingCategory("MARKETING_LITE") == .mmAPI)
        #expect(Product.ofPricingCategory("group_marketing_lite") == .mmAPI)
        #expect(Product.ofPricingCategory("MARKETING") == .cloudAPI)
        #expect(Product.ofPricingCategory("UTILITY") == .other)
        #expect(Product.ofTemplateProductType("marketing_messages_lite_api") == .mmAPI)
        #expect(Product.ofTemplateProductType("MARKETING_MESSAGES_API_FOR_WHATSAPP") == .mmAPI)
        #expect(Product.ofTemplateProductType("cloud_api") == .cloudAPI)
        #expect(Product.ofTemplateProductType("CAMPAIGN_INSIGHTS") == nil)
        #expect(Route.ofWebhookCategory("marketing_lite") == .mmAPI)
        #expect(Route.ofWebhookCategory("marketing") == .cloudAPI)
        #expect(Route.ofWebhookCategory(nil) == .unknown)
    }

    /// Property: whatever the page, the normalized sums equal the raw JSON sums.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func sumsArePreserved(seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed))
        var points: [[String: Any]] = []
        var sent = 0, read = 0, volume = 0
        for i in 0..<Int(rng.next() % 40 + 1) {
            let s = Int(rng.next() % 1000), r = Int(rng.next() % 500), v = Int(rng.next() % 900)
            sent += s; read += r; volume += v
            points.append(["template_id": "\(i % 7)", "start": 86400 * (i / 7), "end": 86400 * (i / 7 + 1),
                           "sent": rng.next() % 2 == 0 ? s as Any : "\(s)" as Any, "delivered": s, "read": r])
        }
        let tpl = try JSONSerialization.data(withJSONObject: ["data": [["data_points": points]]])
        let b = try TemplateAnalyticsNormalizer.normalize(Array(tpl), context: PageContext(wabaID: "1", currency: "USD", timezone: "UTC", source: "s"))
        #expect(b.templateDaily.reduce(0) { $0 + Int($1.sent) } == sent)
        #expect(b.templateDaily.reduce(0) { $0 + Int($1.read) } == read)
        let pr = try JSONSerialization.data(withJSONObject: ["data": [["data_points": points.enumerated().map { i, p in
            ["start": p["start"]!, "end": p["end"]!, "country": "C\(i)", "volume": p["delivered"]!] as [String: Any] }]]])
        let pb = try PricingNormalizer.normalize(Array(pr), context: PageContext(wabaID: "1", currency: "USD", timezone: "UTC", source: "s"))
        #expect(pb.pricing.reduce(0) { $0 + Int($1.volume) } == sent)
        _ = volume
    }

    @Test func dedupKeepsTheLastOccurrence() {
        var b = NormalizedBatch()
        let r = ConversionRow(wabaID: "1", templateID: "2", product: .mmAPI, day: "2026-01-01", metric: "m", value: 1, currency: "USD")
        var r2 = r; r2.value = 5
        b.conversions = [r, r2]
        #expect(b.deduplicated().conversions.map(\.value) == [5])
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
