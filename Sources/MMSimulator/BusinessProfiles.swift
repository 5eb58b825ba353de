/// Fixed facts the seeded business draws from: business profiles (country, industry, currency,
/// timezone), recipient country mixes, calling codes and per-message prices.
struct BusinessProfile {
    let country: String
    let industry: String
    let vertical: String
    let currency: String
    let timezoneID: String
    let language: String
    let baseName: String
    let urlButtons: [String]
    /// Recipient countries and their weights; "US" recipients only ever fail (131049).
    let recipients: [(String, Int)]
}

enum BusinessProfiles {
    /// The first three WABAs carry the quirks (credit line, EEA, conversion array, string numbers).
    static let leading: [BusinessProfile] = [
        BusinessProfile(country: "US", industry: "retail", vertical: "RETAIL", currency: "USD", timezoneID: "1",
                        language: "en_US", baseName: "Acme \"Outdoor\" & Co.", urlButtons: ["Shop now", "See deals"],
                        recipients: [("MX", 35), ("BR", 25), ("US", 15), ("CO", 15), ("IN", 10)]),
        BusinessProfile(country: "BR", industry: "retail", vertical: "RETAIL", currency: "BRL", timezoneID: "25",
                        language: "pt_BR", baseName: "Loja Exemplo Ltda", urlButtons: ["Ver ofertas", "Comprar"],
                        recipients: [("BR", 85), ("AR", 10), ("US", 5)]),
        BusinessProfile(country: "DE", industry: "apparel", vertical: "APPAREL", currency: "EUR", timezoneID: "47",
                        language: "de", baseName: "Modehaus Beispiel GmbH", urlButtons: ["Jetzt kaufen", "Mehr erfahren"],
                        recipients: [("DE", 60), ("AT", 20), ("CH", 10), ("NL", 10)]),
    ]

    /// WABAs 3… cycle through these, so several share business country + industry (benchmark cohorts).
    static let cycle: [BusinessProfile] = [
        // An Indian brand: Meta's id 71 is Asia/Kolkata (UTC+05:30, a half-hour offset).
        BusinessProfile(country: "IN", industry: "apparel", vertical: "APPAREL", currency: "INR", timezoneID: "71",
                        language: "en_US", baseName: "Kurta Kart", urlButtons: ["Shop now", "View collection"],
                        recipients: [("IN", 90), ("AE", 10)]),
        BusinessProfile(country: "AE", industry: "apparel", vertical: "APPAREL", currency: "GBP", timezoneID: "8",
                        language: "en_GB", baseName: "Gulf Threads", urlButtons: ["Shop now", "Browse"],
                        recipients: [("AE", 50), ("SA", 30), ("EG", 20)]),
        BusinessProfile(country: "BR", industry: "retail", vertical: "RETAIL", currency: "BRL", timezoneID: "25",
                        language: "pt_BR", baseName: "Mercado Exemplo", urlButtons: ["Ver ofertas", "Comprar"],
                        recipients: [("BR", 90), ("US", 10)]),
        BusinessProfile(country: "US", industry: "retail", vertical: "RETAIL", currency: "USD", timezoneID: "7",
                        language: "en_US", baseName: "Northeast Goods", urlButtons: ["Shop now", "Claim offer"],
                        recipients: [("MX", 40), ("US", 20), ("CO", 20), ("BR", 20)]),
        BusinessProfile(country: "CO", industry: "retail", vertical: "GROCERY", currency: "USD", timezoneID: "43",
                        language: "es_CO", baseName: "Tienda Andina", urlButtons: ["Ver oferta", "Comprar ya"],
                        recipients: [("CO", 70), ("MX", 20), ("US", 10)]),
    ]

    static func profile(forWABA index: Int) -> BusinessProfile {
        index < leading.count ? leading[index] : cycle[(index - leading.count) % cycle.count]
    }

    static let callingCodes: [String: String] = [
        "US": "1", "MX": "52", "BR": "55", "CO": "57", "IN": "91", "AR": "54", "DE": "49", "AT": "43",
        "CH": "41", "NL": "31", "AE": "971", "SA": "966", "EG": "20",
    ]

    /// Marketing price per delivered message by recipient country, USD millionths.
    static let marketingUSDMicros: [String: Int64] = [
        "US": 25_000, "MX": 30_500, "BR": 62_500, "CO": 12_500, "IN": 10_700, "AR": 61_800, "DE": 136_500,
        "AT": 59_200, "CH": 59_200, "NL": 159_700, "AE": 38_400, "SA": 45_500, "EG": 64_400,
    ]

    /// Units of the currency per 100 USD.
    static let fxPer100USD: [String: Int64] = ["USD": 100, "EUR": 92, "GBP": 79, "BRL": 550, "INR": 8_600]

    /// Price of one delivered message of `category` to `country`, in millionths of `currency`.
    static func unitPriceMicros(category: String, country: String, currency: String) -> Int64 {
        let marketing = marketingUSDMicros[country] ?? 50_000
        let usd: Int64
        switch category {
        case "MARKETING", "MARKETING_LITE", "MARKETING_LITE_DYNAMIC", "GROUP_MARKETING_LITE": usd = marketing
        case "UTILITY", "AUTHENTICATION": usd = marketing / 6
        case "SERVICE": usd = marketing / 10   // charged from 2026-10-01 only (PricingModel)
        default: usd = 0
        }
        return usd * (fxPer100USD[currency] ?? 100) / 100
    }
}
