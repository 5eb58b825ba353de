import Foundation

/// Builds WABAs, phone numbers and templates from the sequential seeded generator.
/// Some names and button texts are deliberately hostile (quotes, backslashes, emoji, tabs,
/// accents) so the warehouse's escaping is exercised.
enum CatalogBuilder {
    static let marketingNames = [
        "spring_sale", "cart_reminder", "new_arrivals", "vip_early_access", "back_in_stock", "weekly_deals",
        "loyalty_points", "flash_sale", "price_drop", "welcome_offer", "birthday_coupon", "abandoned_browse",
        "holiday_gift_guide", "clearance_event", "referral_bonus",
    ]
    static let utilityNames = ["order_update", "shipping_update", "payment_reminder", "appointment_confirmation"]
    static let hostileNames = [
        "promo_\"quoted\"_\\back\\slash_\u{1F389}",
        "tab\there_\u{00FC}n\u{00EF}c\u{00F8}d\u{00E9}",
        "semi;colon,comma 'single' \u{2014} dash",
    ]
    static let quickReplies = ["Stop promotions", "Talk to an agent", "Não, obrigado", "Stop\tpromos \"now\""]
    static let hostileButton = "Buy \"now\" \\ \u{1F6D2}"

    static func makeWABA(index w: Int, wabaCount: Int, templates templateCount: Int,
                         rng: inout SplitMix64, newID: (Int) -> String) -> SimWABA {
        let profile = BusinessProfiles.profile(forWABA: w)
        let tzName = TimeZoneIDs.ianaName(forID: profile.timezoneID) ?? "UTC"
        let zone = TimeZone(identifier: tzName) ?? TimeZone(secondsFromGMT: 0)!
        let id = newID(15)
        let name = w < BusinessProfiles.leading.count ? profile.baseName : "\(profile.baseName) #\(w)"
        let recipients = profile.recipients.map {
            RecipientCountry(country: $0.0, callingCode: BusinessProfiles.callingCodes[$0.0] ?? "1", weight: $0.1)
        }
        let cc = BusinessProfiles.callingCodes[profile.country] ?? "1"
        let phoneCount = 1 + rng.below(2)
        var phones: [SimPhoneNumber] = []
        for p in 0..<phoneCount {
            let local = String(5_550_000_000 + UInt64(rng.below(9_999_999)))  // 555 + 7 digits
            let digits = cc + local
            let display = "+\(cc) \(local.prefix(3))-\(local.dropFirst(3).prefix(3))-\(local.suffix(4))"
            let rating = ["GREEN", "GREEN", "YELLOW"][rng.below(3)]
            phones.append(SimPhoneNumber(index: p, id: newID(15), digits: digits, displayPhoneNumber: display,
                                         verifiedName: p == 0 ? name : "\(name) Support", qualityRating: rating))
        }
        var templates: [SimTemplate] = []
        for t in 0..<templateCount {
            templates.append(makeTemplate(index: t, waba: w, profile: profile, phoneCount: phoneCount,
                                          rng: &rng, id: newID(t % 4 == 3 ? 15 : 16)))
        }
        let deliverable = recipients.filter { $0.country != "US" }
        return SimWABA(
            index: w, id: id, name: name, currency: profile.currency, timezoneID: profile.timezoneID,
            timezoneName: tzName, timeZone: zone, businessCountry: profile.country, industry: profile.industry,
            vertical: profile.vertical,
            onCreditLine: w == 1 || (w > 5 && w % 9 == 1),
            clickAndConversionMetrics: w != 2,
            isEnabledForInsights: !(wabaCount >= 6 && w == 5),
            conversionStyle: w == 1 || (w > 3 && w % 7 == 3) ? .array : .extraKeys,
            numbersAsStrings: w == 2 || (w > 3 && w % 6 == 4),
            reportsWebsiteLead: w % 2 == 0,
            listedAsClient: w % 3 == 1,
            profileFailure: w == 3 ? 10 : (w > 5 && w % 8 == 7 ? 100 : 0),
            recipients: recipients, phoneNumbers: phones, templates: templates,
            deliverable: deliverable.isEmpty ? recipients : deliverable,
            hasUSRecipients: recipients.contains { $0.country == "US" })
    }

    static func makeTemplate(index t: Int, waba w: Int, profile: BusinessProfile, phoneCount: Int,
                             rng: inout SplitMix64, id: String) -> SimTemplate {
        let utility = t % 5 == 4
        let category = utility ? "UTILITY" : "MARKETING"
        let base: String
        if !utility, t % 8 == 3 {
            base = hostileNames[(t / 8 + w) % hostileNames.count]
        } else if utility {
            base = utilityNames[(t / 5) % utilityNames.count]
        } else {
            base = marketingNames[(t + w) % marketingNames.count]
        }
        let name = "\(base)_\(t < 10 ? "0" : "")\(t)"
        let status = t % 13 == 12 ? "REJECTED" : (t % 11 == 10 ? "PAUSED" : "APPROVED")
        let quality: String
        switch status {
        case "REJECTED": quality = "UNKNOWN"
        case "PAUSED": quality = "RED"
        default: quality = t % 6 == 5 ? "YELLOW" : "GREEN"
        }
        let qualityDate = Int64(1_767_225_600 + rng.below(180) * 86_400)  // within 2026
        let urlText: String?
        if utility {
            urlText = t % 2 == 0 ? "Track order" : nil
        } else if t % 7 == 6 {
            urlText = nil  // quick-reply-only marketing template
        } else {
            urlText = t % 9 == 2 ? hostileButton : profile.urlButtons[rng.below(profile.urlButtons.count)]
        }
        let quickReply: String? = utility ? nil : (t % 3 == 0 || urlText == nil ? quickReplies[(t + w) % quickReplies.count] : nil)
        // Max-price per delivery of 0.05, 0.08 or 0.12 currency units, as Meta stores it: per 1,000
        // deliveries in the smallest unit (whole pesos for MXN, otherwise hundredths).
        let perDelivery = [5, 8, 12][rng.below(3)]
        let bid: Int? = !utility && t % 3 == 0 ? (profile.currency == "MXN" ? perDelivery * 10 : perDelivery * 1_000) : nil
        let ttl: Int? = t % 4 == 1 ? [43_200, 86_400, 259_200][rng.below(3)] : nil
        let language = t % 10 == 9 && profile.language != "en_US" ? "en_US" : profile.language
        let body = utility
            ? "Hi {{1}}, your order {{2}} is on its way.\nTrack it below."
            : "Hi {{1}}! \u{1F525} {{2}}% off \"everything\" \\ today only.\tReply STOP to opt out."
        return SimTemplate(index: t, id: id, name: name, language: language, category: category, status: status,
                           qualityScore: quality, qualityDate: qualityDate, bidAmount: bid,
                           bidStrategy: bid == nil ? nil : "MAX_PRICE", sendType: ["CAMPAIGN", "DIRECT", "TRIGGER"][t % 3], ttlSeconds: ttl,
                           bodyText: body, urlButtonText: urlText, quickReplyText: quickReply,
                           phoneIndex: t % phoneCount)
    }
}
