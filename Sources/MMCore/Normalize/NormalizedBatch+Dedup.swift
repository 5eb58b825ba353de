/// Keys of each fact, used to drop duplicates within a slice (last occurrence wins), so a merge
/// never sees the same key twice.
extension NormalizedBatch {
    public func deduplicated() -> NormalizedBatch {
        var out = self
        out.pricing = Self.lastWins(pricing) { "\($0.wabaID)|\($0.granularity)|\($0.bucketStart)|\($0.phoneNumber)|\($0.country)|\($0.pricingCategory)|\($0.pricingType)|\($0.tier)|\($0.dimensions)" }
        out.templateDaily = Self.lastWins(templateDaily) { "\($0.wabaID)|\($0.templateID)|\($0.product.rawValue)|\($0.day)" }
        out.templateClicks = Self.lastWins(templateClicks) { "\($0.wabaID)|\($0.templateID)|\($0.product.rawValue)|\($0.day)|\($0.buttonType)|\($0.buttonContent)" }
        out.conversions = Self.lastWins(conversions) { "\($0.wabaID)|\($0.templateID)|\($0.product.rawValue)|\($0.day)|\($0.metric)" }
        out.templates = Self.lastWins(templates) { "\($0.wabaID)|\($0.templateID)" }
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
