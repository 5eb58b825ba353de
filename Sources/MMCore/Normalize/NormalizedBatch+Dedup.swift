/// Keys of each fact, used to drop duplicates within a slice (last occurrence wins), so a merge
/// never sees the same key twice.
extension NormalizedBatch {
    public func deduplicated() -> NormalizedBatch {
        var out = self
        out.pricing = Self.lastWins(pricing, key: \.factKey)
        out.templateDaily = Self.lastWins(templateDaily, key: \.factKey)
        out.templateClicks = Self.lastWins(templateClicks, key: \.factKey)
        out.conversions = Self.lastWins(conversions, key: \.factKey)
        out.templates = Self.lastWins(templates, key: \.factKey)
        return out
    }

    static func lastWins<T>(_ rows: [T], key: (T) -> String) -> [T] {
        var index: [String: Int] = [:]
        index.reserveCapacity(rows.count)
        var out: [T] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            let k = key(r)
            if let i = index[k] { out[i] = r } else { index[k] = out.count; out.append(r) }
        }
        return out
    }
}

/// The primary key of each fact row as one string (the columns of the table's key, in order).
extension PricingRow {
    public var factKey: String { "\(wabaID)|\(granularity)|\(bucketStart)|\(phoneNumber)|\(country)|\(pricingCategory)|\(pricingType)|\(tier)|\(dimensions)" }
}
extension TemplateDailyRow {
    public var factKey: String { "\(wabaID)|\(templateID)|\(product.rawValue)|\(day)" }
}
extension TemplateClickRow {
    public var factKey: String { "\(wabaID)|\(templateID)|\(product.rawValue)|\(day)|\(buttonType)|\(buttonContent)" }
}
extension ConversionRow {
    public var factKey: String { "\(wabaID)|\(templateID)|\(product.rawValue)|\(day)|\(metric)" }
}
extension TemplateRow {
    public var factKey: String { "\(wabaID)|\(templateID)" }
}
