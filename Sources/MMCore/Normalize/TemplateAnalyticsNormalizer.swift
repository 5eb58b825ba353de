import Foundation

/// `template_analytics` pages → daily metrics, button clicks and conversions. Pure.
///
/// Conversion metrics are undocumented in shape (reference §2): they are read both as extra numeric
/// keys on a data point (`"website_purchases": 3`) and as `{type, value}` entries of a
/// `conversions` array. Every name is kept, lower-cased; names we have never seen are diagnosed.
/// `replied` (metric `REPLIED`, 2026) is a delivery metric, not a conversion: it becomes the
/// `replied` column of the daily row, so no conversion total counts it.
public enum TemplateAnalyticsNormalizer {
    struct Series: Decodable {
        var product_type: String?
        var waba_timezone: String?
        var data_points: [Point]?
    }
    struct TypedValue: Decodable { var type: String; var value: LenientDecimal? }
    struct Click: Decodable { var type: String; var button_content: String?; var count: LenientDecimal? }

    struct Point: Decodable {
        var templateID: String
        var start: LenientInstant
        var end: LenientInstant
        var sent: LenientDecimal?
        var delivered: LenientDecimal?
        var read: LenientDecimal?
        var replied: LenientDecimal?
        var clicked: [Click]
        var cost: [TypedValue]
        var conversions: [(String, Decimal)]
        var unknownKeys: [String]

        static let fixedKeys: Set<String> = ["template_id", "start", "end", "sent", "delivered", "read", "replied", "clicked", "cost", "conversions"]

        init(templateID: String, start: LenientInstant, end: LenientInstant, sent: LenientDecimal?, delivered: LenientDecimal?,
             read: LenientDecimal?, replied: LenientDecimal?, clicked: [Click], cost: [TypedValue],
             conversions: [(String, Decimal)], unknownKeys: [String]) {
            self.templateID = templateID; self.start = start; self.end = end; self.sent = sent; self.delivered = delivered
            self.read = read; self.replied = replied; self.clicked = clicked; self.cost = cost
            self.conversions = conversions; self.unknownKeys = unknownKeys
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            if let s = try? c.decode(String.self, forKey: AnyKey("template_id")) { templateID = s }
            else { templateID = String(try c.decode(Int64.self, forKey: AnyKey("template_id"))) }
            start = try c.decode(LenientInstant.self, forKey: AnyKey("start"))
            end = try c.decode(LenientInstant.self, forKey: AnyKey("end"))
            sent = try c.decodeIfPresent(LenientDecimal.self, forKey: AnyKey("sent"))
            delivered = try c.decodeIfPresent(LenientDecimal.self, forKey: AnyKey("delivered"))
            read = try c.decodeIfPresent(LenientDecimal.self, forKey: AnyKey("read"))
            replied = try c.decodeIfPresent(LenientDecimal.self, forKey: AnyKey("replied"))
            clicked = try c.decodeIfPresent([Click].self, forKey: AnyKey("clicked")) ?? []
            cost = try c.decodeIfPresent([TypedValue].self, forKey: AnyKey("cost")) ?? []
            var conv: [(String, Decimal)] = []
            for entry in try c.decodeIfPresent([TypedValue].self, forKey: AnyKey("conversions")) ?? [] {
                if let v = entry.value { conv.append((entry.type.lowercased(), v.value)) }
            }
            var unknown: [String] = []
            for key in c.allKeys where !Self.fixedKeys.contains(key.stringValue) {
                if let v = try? c.decode(LenientDecimal.self, forKey: key) {
                    conv.append((key.stringValue.lowercased(), v.value))
                } else {
                    unknown.append(key.stringValue)
                }
            }
            conversions = conv
            unknownKeys = unknown
        }
    }

    /// Conversion metric names the docs list (reference §2), lower-cased. Others are kept and diagnosed.
    public static let knownConversionMetrics: Set<String> = Set([
        "APP_ACTIVATIONS", "APP_ADD_TO_CART", "APP_CHECKOUTS_INITIATED", "APP_PURCHASES", "APP_PURCHASES_CONVERSION_VALUE",
        "WEBSITE_ADD_TO_CART", "WEBSITE_CHECKOUTS_INITIATED", "WEBSITE_PURCHASES", "WEBSITE_PURCHASES_CONVERSION_VALUE",
        "APP_ADD_PAYMENT_INFO", "APP_ADD_TO_WISHLIST", "APP_COMPLETE_REGISTRATION", "APP_LEVEL_ACHIEVED", "APP_OTHER",
        "APP_RATE", "APP_SEARCH", "APP_TUTORIAL_COMPLETION", "APP_VIEW_CONTENT", "WEBSITE_ADD_PAYMENT_INFO",
        "WEBSITE_ADD_TO_WISHLIST", "WEBSITE_COMPLETE_REGISTRATION", "WEBSITE_CUSTOM", "WEBSITE_LEAD", "WEBSITE_SEARCH",
        "WEBSITE_VIEW_CONTENT",
    ].map { $0.lowercased() })

    /// Normalizes one raw page, read by `GraphPage.items` (the byte scanner, the `Decodable` types
    /// behind it).
    public static func normalize(_ bytes: [UInt8], context: PageContext) throws -> NormalizedBatch {
        rows(try GraphPage<Series>.items(bytes, source: context.source, scan: scan), context: context)
    }

    static func rows(_ page: [Series], context: PageContext) -> NormalizedBatch {
        var batch = NormalizedBatch()
        var unknownMetrics: [String: Int] = [:]
        var unknownKeys: [String: Int] = [:]
        var unknownProducts: [String: Int] = [:]
        for series in page {
            let rawType = series.product_type ?? context.requestedProductType ?? "CLOUD_API"
            let product: Product
            if let p = Product.ofTemplateProductType(rawType) { product = p }
            else { product = .other; unknownProducts[rawType, default: 0] += 1 }
            let tz = series.waba_timezone.flatMap { TimeZone(identifier: $0) != nil ? $0 : nil } ?? context.timezone
            // A series holds many points of few distinct instants: zone lookups once per instant.
            var starts: [LenientInstant: (String, Int64)] = [:]
            var ends: [LenientInstant: Int64] = [:]
            for p in series.data_points ?? [] {
                batch.dataPoints += 1
                let (day, start) = starts[p.start] ?? {
                    let (d, s) = dayAndStart(p.start, useWABATimezone: context.useWABATimezone, zone: tz)
                    let entry = (d.description, s)
                    starts[p.start] = entry
                    return entry
                }()
                let end = ends[p.end] ?? {
                    let e: Int64
                    switch p.end {
                    case .epoch(let x): e = x
                    case .date(let d): e = context.useWABATimezone ? TimeZones.localMidnight(d, in: tz) : d.epochSecondsUTC
                    }
                    ends[p.end] = e
                    return e
                }()
                guard let sent = (p.sent ?? LenientDecimal(0)).int64, let delivered = (p.delivered ?? LenientDecimal(0)).int64,
                      let read = (p.read ?? LenientDecimal(0)).int64, p.replied.map({ $0.int64 != nil }) ?? true else {
                    batch.diagnostics.append(Diagnostic(kind: .droppedDataPoint, subject: "\(context.source) template \(p.templateID)", value: "non-integer count"))
                    continue
                }
                var url: Int64 = 0, unique: Int64 = 0, quick: Int64 = 0
                for click in p.clicked {
                    let count = click.count?.int64 ?? 0
                    switch click.type.lowercasedIfNeeded {
                    case "url_button": url += count
                    case "unique_url_button": unique += count
                    case "quick_reply_button": quick += count
                    default: unknownMetrics["clicked:\(click.type)", default: 0] += 1
                    }
                    batch.templateClicks.append(TemplateClickRow(wabaID: context.wabaID, templateID: p.templateID, product: product,
                                                                 day: day, buttonType: click.type,
                                                                 buttonContent: click.button_content ?? "", count: count))
                }
                var spent: Decimal?, perDelivered: Decimal?, perClick: Decimal?
                for c in p.cost {
                    switch c.type.lowercasedIfNeeded {
                    case "amount_spent": spent = c.value?.value
                    case "cost_per_delivered": perDelivered = c.value?.value
                    case "cost_per_url_button_click": perClick = c.value?.value
                    default: unknownMetrics["cost:\(c.type)", default: 0] += 1
                    }
                }
                batch.templateDaily.append(TemplateDailyRow(
                    wabaID: context.wabaID, templateID: p.templateID, product: product, productType: rawType, day: day,
                    bucketStart: start, bucketEnd: end, sent: sent, delivered: delivered, read: read, urlClicks: url,
                    uniqueURLClicks: unique, quickReplyClicks: quick, amountSpent: spent, costPerDelivered: perDelivered,
                    costPerURLClick: perClick, currency: context.currency, wabaTimezone: tz, replied: p.replied?.int64))
                for (metric, value) in p.conversions {
                    if !knownConversionMetrics.contains(metric) { unknownMetrics[metric, default: 0] += 1 }
                    batch.conversions.append(ConversionRow(wabaID: context.wabaID, templateID: p.templateID, product: product,
                                                           day: day, metric: metric, value: value, currency: context.currency))
                }
                for k in p.unknownKeys { unknownKeys[k, default: 0] += 1 }
            }
        }
        for (v, n) in unknownProducts.sorted(by: { $0.key < $1.key }) { batch.diagnostics.append(Diagnostic(kind: .unknownEnum, subject: "product_type", value: v, count: n)) }
        for (v, n) in unknownMetrics.sorted(by: { $0.key < $1.key }) { batch.diagnostics.append(Diagnostic(kind: .unknownMetric, subject: "template_analytics", value: v, count: n)) }
        for (v, n) in unknownKeys.sorted(by: { $0.key < $1.key }) { batch.diagnostics.append(Diagnostic(kind: .other, subject: "template_analytics ignored key", value: v, count: n)) }
        return batch
    }

    /// The day of a data point and its bucket start: a date string is the day itself (WABA-local when
    /// `use_waba_timezone`); an epoch is read in the WABA's zone when `use_waba_timezone`, else in UTC.
    static func dayAndStart(_ i: LenientInstant, useWABATimezone: Bool, zone: String) -> (Day, Int64) {
        switch i {
        case .date(let d): return (d, useWABATimezone ? TimeZones.localMidnight(d, in: zone) : d.epochSecondsUTC)
        case .epoch(let e): return (useWABATimezone ? TimeZones.localDay(epochSeconds: e, in: zone) : Day(epochSecondsUTC: e), e)
        }
    }
}
