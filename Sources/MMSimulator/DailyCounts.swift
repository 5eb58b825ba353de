/// One conversion metric of a template-day (MM API only).
public struct ConversionCount: Sendable, Equatable {
    /// Lower-case metric name as it appears in responses: `website_purchases`, `app_add_to_cart`…
    public let metric: String
    /// A count, or for `*_conversion_value` an amount in cents of the WABA's currency.
    public let value: Int64
    public let isMonetary: Bool
}

public struct CountryCount: Sendable, Equatable {
    public let country: String
    public let count: Int
}

/// What the API reports for one WABA × template × day × product as of some date.
public struct TemplateDayCounts: Sendable, Equatable {
    public var sent = 0
    public var delivered = 0
    public var read = 0
    public var failed: Int { sent - delivered }
    public var urlClicks = 0
    public var uniqueURLClicks = 0
    public var quickReplyClicks = 0
    /// amount_spent in millionths of the WABA's currency (credit-line WABAs still have it here,
    /// the API just does not show it).
    public var amountSpentMicros: Int64 = 0
    /// Delivered messages per recipient country (the pricing COUNTRY split and the send log agree).
    public var deliveredByCountry: [CountryCount] = []
    public var conversions: [ConversionCount] = []
}

/// Late attribution: sent/delivered/cost are final at once; read and clicks of a day grow for 7
/// days ((age+1)/8 of final, floored), conversions for 10 ((age+1)/11). Days after asOf don't exist.
public enum LateAttribution {
    public static let readClickSettleDays = 7
    public static let conversionSettleDays = 10

    @inline(__always)
    static func readClick(_ final: Int, age: Int) -> Int {
        age >= readClickSettleDays ? final : final * (age + 1) / (readClickSettleDays + 1)
    }

    @inline(__always)
    static func conversion(_ final: Int, age: Int) -> Int {
        age >= conversionSettleDays ? final : final * (age + 1) / (conversionSettleDays + 1)
    }
}

extension SimulatedBusiness {
    /// Sent and delivered (final at once) of a template-day; nil when nothing was sent.
    func sentDelivered(waba w: Int, template t: Int, day: Int, product: SimProduct) -> (sent: Int, delivered: Int)? {
        let waba = wabas[w]
        let tpl = waba.templates[t]
        if tpl.status == "REJECTED" { return nil }
        let h = hash, wu = w.u, tu = t.u, du = day.u, pu = product.ordinal
        let activity = h.unit(Salt.active.rawValue, wu, tu, du, pu)
        let sent: Int
        switch (product, tpl.isMarketing) {
        case (.mmAPI, true):
            guard activity < (tpl.status == "PAUSED" ? 0.15 : 0.5) else { return nil }
            sent = 5 + h.below(56, Salt.sent.rawValue, wu, tu, du, pu)
        case (.cloudAPI, true):
            guard activity < 0.3 else { return nil }
            sent = 1 + h.below(10, Salt.sent.rawValue, wu, tu, du, pu)
        case (.cloudAPI, false):
            guard activity < 0.7 else { return nil }
            sent = 5 + h.below(56, Salt.sent.rawValue, wu, tu, du, pu)
        case (.mmAPI, false):
            return nil  // MM API sends marketing templates only
        }
        let failPct = h.below(13, Salt.failRate.rawValue, wu, tu, du, pu) + (waba.hasUSRecipients ? 8 : 0)
        let failed = sent * failPct / 100
        return (sent, sent - failed)
    }

    /// Delivered messages split over the WABA's deliverable recipient countries: largest
    /// remainder on the weights, the leftover rotated by a hash so small counts spread out.
    func countrySplit(waba w: Int, template t: Int, day: Int, product: SimProduct, delivered: Int) -> [Int] {
        let countries = wabas[w].deliverable
        let total = countries.reduce(0) { $0 + $1.weight }
        var out = countries.map { delivered * $0.weight / total }
        var left = delivered - out.reduce(0, +)
        var i = hash.below(countries.count, Salt.countryRotation.rawValue, w.u, t.u, day.u, product.ordinal)
        while left > 0 {
            out[i] += 1
            left -= 1
            i = (i + 1) % countries.count
        }
        return out
    }

    /// Everything the API reports for a template-day as of `asOf` (day numbers, see `CivilDate`).
    /// nil when nothing was sent that day or the day is after `asOf`.
    public func counts(waba w: Int, template t: Int, day: Int, product: SimProduct, asOf: Int) -> TemplateDayCounts? {
        guard day <= asOf, let (sent, delivered) = sentDelivered(waba: w, template: t, day: day, product: product) else {
            return nil
        }
        let waba = wabas[w]
        let tpl = waba.templates[t]
        let h = hash, wu = w.u, tu = t.u, du = day.u, pu = product.ordinal
        let age = asOf - day
        var c = TemplateDayCounts()
        c.sent = sent
        c.delivered = delivered
        let finalRead = delivered * (30 + h.below(61, Salt.readRate.rawValue, wu, tu, du, pu)) / 100
        c.read = LateAttribution.readClick(finalRead, age: age)

        let measured = product == .cloudAPI || waba.clickAndConversionMetrics
        var finalClicks = 0
        if measured, tpl.urlButtonText != nil {
            finalClicks = finalRead * (5 + h.below(36, Salt.clickRate.rawValue, wu, tu, du, pu)) / 100
            let finalUnique = finalClicks * (60 + h.below(41, Salt.uniqueRate.rawValue, wu, tu, du, pu)) / 100
            c.urlClicks = LateAttribution.readClick(finalClicks, age: age)
            c.uniqueURLClicks = LateAttribution.readClick(finalUnique, age: age)
        }
        if measured, tpl.quickReplyText != nil {
            let finalQR = finalRead * h.below(21, Salt.quickReplyRate.rawValue, wu, tu, du, pu) / 100
            c.quickReplyClicks = LateAttribution.readClick(finalQR, age: age)
        }

        let split = countrySplit(waba: w, template: t, day: day, product: product, delivered: delivered)
        let category = product == .mmAPI ? "MARKETING_LITE" : tpl.category
        var spent: Int64 = 0
        c.deliveredByCountry.reserveCapacity(split.count)
        for (i, n) in split.enumerated() {
            let country = waba.deliverable[i].country
            c.deliveredByCountry.append(CountryCount(country: country, count: n))
            spent += Int64(n) * BusinessProfiles.unitPriceMicros(category: category, country: country, currency: waba.currency)
        }
        c.amountSpentMicros = spent

        if product == .mmAPI, waba.clickAndConversionMetrics, tpl.urlButtonText != nil {
            let atc = finalClicks * (20 + h.below(51, Salt.atc.rawValue, wu, tu, du, pu)) / 100
            let purchases = atc * (20 + h.below(61, Salt.purchases.rawValue, wu, tu, du, pu)) / 100
            let orderCents = Int64(2_000 + h.below(13_000, Salt.orderValue.rawValue, wu, tu, du, pu))
            let appAtc = finalClicks * h.below(31, Salt.appAtc.rawValue, wu, tu, du, pu) / 100
            let appPurchases = appAtc * h.below(51, Salt.appPurchases.rawValue, wu, tu, du, pu) / 100
            let nowPurchases = LateAttribution.conversion(purchases, age: age)
            func count(_ name: String, _ v: Int) -> ConversionCount {
                ConversionCount(metric: name, value: Int64(LateAttribution.conversion(v, age: age)), isMonetary: false)
            }
            c.conversions = [
                count("website_add_to_cart", atc),
                ConversionCount(metric: "website_purchases", value: Int64(nowPurchases), isMonetary: false),
                ConversionCount(metric: "website_purchases_conversion_value", value: Int64(nowPurchases) * orderCents,
                                isMonetary: true),
                count("app_add_to_cart", appAtc),
                count("app_purchases", appPurchases),
            ]
            if waba.reportsWebsiteLead {
                c.conversions.append(count("website_lead", finalClicks * h.below(21, Salt.lead.rawValue, wu, tu, du, pu) / 100))
            }
        }
        return c
    }

    /// `counts` by ids and `YYYY-MM-DD` dates; nil for unknown ids, bad dates or no sends.
    public func trueCounts(wabaID: String, templateID: String, day: String, product: SimProduct,
                           asOf: String) -> TemplateDayCounts? {
        guard let w = waba(id: wabaID), let (_, tpl) = template(id: templateID),
              w.templates.indices.contains(tpl.index), w.templates[tpl.index].id == templateID,
              let d = CivilDate.parse(day), let a = CivilDate.parse(asOf) else { return nil }
        return counts(waba: w.index, template: tpl.index, day: d, product: product, asOf: a)
    }
}

extension TemplateDayCounts {
    /// Metric `REPLIED` (2026): a sixth of the reads, so it never exceeds them.
    public var replied: Int { read / 6 }
}
