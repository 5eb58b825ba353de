/// One undivided pricing fact: a WABA-local day, one phone, country, category, type and tier.
struct PricingRow {
    var phone: Int
    var country: String
    var category: String
    var type: String
    /// nil for free pricing types (Meta omits `tier` there).
    var tier: String?
    var volume: Int
    var costMicros: Int64
}

extension SimulatedBusiness {
    /// Every pricing row of a WABA-local day. Template deliveries are exact: MARKETING_LITE volume
    /// equals the MM `delivered` summed over templates, MARKETING/UTILITY REGULAR the Cloud ones,
    /// and each country's volume matches the send log. On top: SERVICE / free-utility /
    /// free-entry-point / authentication noise and, some days, a category newer than the docs.
    /// Charged categories change over time (Meta's pricing update, 2026-07): from 2026-10-01 service
    /// messages and utility messages inside the service window carry a cost; Business Agent traffic
    /// (`AI_BOT`) is billed per token, so its cost does not follow its volume.
    func pricingRows(waba w: Int, day: Int) -> [PricingRow] {
        let waba = wabas[w]
        var rows: [PricingRow] = []
        rows.reserveCapacity(waba.templates.count * 4 + 8)
        for t in waba.templates.indices {
            for product in SimProduct.allCases {
                guard let (_, delivered) = sentDelivered(waba: w, template: t, day: day, product: product),
                      delivered > 0 else { continue }
                let tpl = waba.templates[t]
                let category = product == .mmAPI ? "MARKETING_LITE" : tpl.category
                let tier = tpl.isMarketing ? "0:MAX" : "0:100000"
                let split = countrySplit(waba: w, template: t, day: day, product: product, delivered: delivered)
                for (i, n) in split.enumerated() where n > 0 {
                    let country = waba.deliverable[i].country
                    rows.append(PricingRow(
                        phone: tpl.phoneIndex, country: country, category: category, type: "REGULAR", tier: tier,
                        volume: n,
                        costMicros: Int64(n) * BusinessProfiles.unitPriceMicros(category: category, country: country,
                                                                                 currency: waba.currency)))
                }
            }
        }
        let h = hash, wu = w.u, du = day.u
        let home = waba.deliverable[0].country
        let serviceCharged = day >= Self.serviceChargedFrom
        func noise(_ salt: UInt64, _ share: Double, _ category: String, _ type: String, _ tier: String?, _ maxVolume: Int) {
            guard h.unit(Salt.noise.rawValue, wu, du, salt) < share else { return }
            let v = 1 + h.below(maxVolume, Salt.noise.rawValue, wu, du, salt + 100)
            let charged = type == "REGULAR" || (serviceCharged && type == "FREE_CUSTOMER_SERVICE")
            var cost = charged
                ? Int64(v) * BusinessProfiles.unitPriceMicros(category: category, country: home, currency: waba.currency) : 0
            if category == "AI_BOT" {  // per token: 200-2,000 tokens a message at 10 micro-units each
                cost = Int64(v) * Int64(200 + h.below(1_800, Salt.noise.rawValue, wu, du, salt + 200)) * 10
            }
            rows.append(PricingRow(phone: 0, country: home, category: category, type: type, tier: tier, volume: v, costMicros: cost))
        }
        noise(1, 1.0, "SERVICE", "FREE_CUSTOMER_SERVICE", nil, 40)
        noise(2, 0.5, "UTILITY", "FREE_CUSTOMER_SERVICE", nil, 10)
        noise(3, 0.2, "SERVICE", "FREE_ENTRY_POINT", nil, 5)
        noise(4, 0.3, "AUTHENTICATION", "REGULAR", "0:100000", 20)
        if day >= Self.businessAgentFrom { noise(7, 0.25, "AI_BOT", "REGULAR", "0:MAX", 12) }
        switch w % 3 {
        case 0: noise(5, 1.0 / 7, "MARKETING_LITE_DYNAMIC", "REGULAR", "0:MAX", 8)
        case 1: noise(6, 1.0 / 9, "GROUP_MARKETING_LITE", "REGULAR", "0:MAX", 8)
        default: break
        }
        return rows
    }

    /// Service and in-window utility messages are charged from this day (2026-10-01).
    public static let serviceChargedFrom = CivilDate.dayNumber(year: 2026, month: 10, day: 1)
    /// Business Agent (AI_BOT) messages are charged from this day (2026-08-01).
    public static let businessAgentFrom = CivilDate.dayNumber(year: 2026, month: 8, day: 1)
}
