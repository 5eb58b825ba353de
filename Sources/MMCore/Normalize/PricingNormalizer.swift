import Foundation

/// `pricing_analytics` pages → `PricingRow`s. Pure.
public enum PricingNormalizer {
    struct Series: Decodable { var data_points: [Point]? }
    struct Point: Decodable {
        var start: LenientInstant
        var end: LenientInstant
        var country: String?
        var phone_number: String?
        var pricing_category: String?
        var pricing_type: String?
        var tier: String?
        var volume: LenientDecimal?
        var cost: LenientDecimal?
    }

    /// Normalizes one raw page. Absent dimensions become empty strings; a missing `cost` is NULL;
    /// unknown pricing categories are kept (product `other`, or `mm_api` for `*MARKETING_LITE*`) and diagnosed.
    /// The bytes are read by `GraphPage.items` (the byte scanner, the `Decodable` types behind it).
    public static func normalize(_ bytes: [UInt8], context: PageContext) throws -> NormalizedBatch {
        rows(try GraphPage<Series>.items(bytes, source: context.source, scan: scan), context: context)
    }

    static func rows(_ page: [Series], context: PageContext) -> NormalizedBatch {
        var batch = NormalizedBatch()
        var unknown: [String: Int] = [:]
        var days = DayCache(zone: context.timezone)
        // A page repeats a few categories: their product and whether they are known, once each.
        var categories: [String: (product: Product, known: Bool)] = [:]
        for series in page {
            for p in series.data_points ?? [] {
                batch.dataPoints += 1
                let start = epoch(p.start, context), end = epoch(p.end, context)
                let category = p.pricing_category ?? ""
                let kind: (product: Product, known: Bool)
                if let cached = categories[category] { kind = cached } else {
                    kind = classify(category)
                    categories[category] = kind
                }
                if !kind.known { unknown[category, default: 0] += 1 }
                guard let volume = (p.volume ?? LenientDecimal(0)).int64 else {
                    batch.diagnostics.append(Diagnostic(kind: .droppedDataPoint, subject: "\(context.source) volume", value: "\(p.volume!.value)"))
                    continue
                }
                batch.pricing.append(PricingRow(
                    wabaID: context.wabaID, granularity: context.granularity, bucketStart: start, bucketEnd: end,
                    day: days.day(of: start),
                    phoneNumber: p.phone_number ?? "", country: p.country ?? "", pricingCategory: category,
                    pricingType: p.pricing_type ?? "", tier: p.tier ?? "", product: kind.product,
                    volume: volume, cost: p.cost?.value, currency: context.currency, wabaTimezone: context.timezone,
                    dimensions: context.pricingDimensions))
            }
        }
        for (value, count) in unknown.sorted(by: { $0.key < $1.key }) {
            batch.diagnostics.append(Diagnostic(kind: .unknownEnum, subject: "pricing_category", value: value, count: count))
        }
        return batch
    }

    /// The product of a pricing category and whether it is known (empty counts as known).
    private static func classify(_ category: String) -> (product: Product, known: Bool) {
        (Product.ofPricingCategory(category), category.isEmpty || Product.isKnownPricingCategory(category))
    }

    static func epoch(_ i: LenientInstant, _ context: PageContext) -> Int64 {
        switch i {
        case .epoch(let e): return e
        case .date(let d): return TimeZones.localMidnight(d, in: context.timezone)
        }
    }
}
