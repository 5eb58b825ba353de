import Foundation

/// The two products a template's messages can go out through.
public enum SimProduct: String, Sendable, CaseIterable {
    /// Marketing Messages API for WhatsApp (pricing category MARKETING_LITE).
    case mmAPI = "mm_api"
    /// Cloud API (pricing category MARKETING or UTILITY).
    case cloudAPI = "cloud_api"

    var ordinal: UInt64 { self == .mmAPI ? 0 : 1 }
}

/// How a WABA's template_analytics data points carry conversion metrics. Meta does not document
/// the shape, so the simulator serves both and the ETL must accept both.
public enum ConversionStyle: String, Sendable {
    /// `"website_purchases": 3, "website_purchases_conversion_value": 120.5` on the data point.
    case extraKeys
    /// `"conversions": [{"type": "website_purchases", "value": 3}, …]` on the data point.
    case array
}

public struct SimPhoneNumber: Sendable {
    public let index: Int
    public let id: String
    /// Digits only, as pricing_analytics and webhook metadata show it: "15550001111".
    public let digits: String
    /// As the phone_numbers edge shows it: "+1 555-000-1111".
    public let displayPhoneNumber: String
    public let verifiedName: String
    public let qualityRating: String
}

public struct SimTemplate: Sendable {
    public let index: Int
    /// 15 or 16 digit numeric string.
    public let id: String
    public let name: String
    public let language: String
    /// MARKETING or UTILITY.
    public let category: String
    /// APPROVED, PAUSED or REJECTED (rejected templates never send).
    public let status: String
    /// GREEN, YELLOW, RED or UNKNOWN.
    public let qualityScore: String
    public let qualityDate: Int64
    /// Max-price as Meta stores it (`optimization_spec.bid_amount`, formerly `bid_spec`): the maximum
    /// price per 1,000 deliveries in the WABA currency's smallest unit as Meta defines it.
    public let bidAmount: Int?
    /// `optimization_spec.bid_strategy` (our assumption of its values: `MAX_PRICE`).
    public let bidStrategy: String?
    /// `send_type`: CAMPAIGN, DIRECT or TRIGGER.
    public let sendType: String
    public let ttlSeconds: Int?
    public let bodyText: String
    public let urlButtonText: String?
    public let quickReplyText: String?
    /// Index into the WABA's `phoneNumbers` of the number that sends this template.
    public let phoneIndex: Int

    public var isMarketing: Bool { category == "MARKETING" }
}

public struct RecipientCountry: Sendable {
    public let country: String
    public let callingCode: String
    public let weight: Int
}

public struct SimWABA: Sendable {
    public let index: Int
    public let id: String
    public let name: String
    public let currency: String
    /// Meta's numeric timezone id as a string (see `TimeZoneIDs`).
    public let timezoneID: String
    public let timezoneName: String
    public let timeZone: TimeZone
    public let businessCountry: String
    public let industry: String
    /// whatsapp_business_profile.vertical of its numbers.
    public let vertical: String
    /// On a Solution Partner credit line: no `cost` anywhere (pricing or template analytics).
    public let onCreditLine: Bool
    /// false for the EEA/UK WABA: its MM data points have no `clicked` and no conversions.
    public let clickAndConversionMetrics: Bool
    /// false: template_analytics answers code 100 (insights not enabled).
    public let isEnabledForInsights: Bool
    public let conversionStyle: ConversionStyle
    /// sent/delivered/read in template_analytics come as JSON strings ("12").
    public let numbersAsStrings: Bool
    /// Reports the newer `website_lead` conversion metric.
    public let reportsWebsiteLead: Bool
    /// Also listed on the business's client_whatsapp_business_accounts edge (a duplicate to dedupe).
    public let listedAsClient: Bool
    /// 0: business profiles read fine; 10: every profile answers a permission error (code 10);
    /// 100: they answer "object does not exist" (code 100, a deleted number).
    public let profileFailure: Int
    public let recipients: [RecipientCountry]
    public let phoneNumbers: [SimPhoneNumber]
    public let templates: [SimTemplate]

    /// Recipient countries that can receive marketing (all but the US), in order.
    let deliverable: [RecipientCountry]
    let hasUSRecipients: Bool
}

/// The deterministic synthetic business: one portfolio, its WABAs, numbers and templates.
/// Daily figures are not stored: `counts(…)` derives them from the seed on demand.
public struct SimulatedBusiness: Sendable {
    public let seed: UInt64
    public let businessID: String
    public let businessName: String
    public let wabas: [SimWABA]

    let hash: SeededHash
    private let wabaIndexByID: [String: Int]
    private let templateIndexByID: [String: (waba: Int, template: Int)]
    private let phoneIndexByID: [String: (waba: Int, phone: Int)]

    public init(seed: UInt64, businessID: String, wabaCount: Int, templatesPerWABA: Int) {
        self.seed = seed
        self.businessID = businessID
        self.businessName = "Simulated Portfolio \u{1F9EA}"
        self.hash = SeededHash(seed: seed)
        var rng = SplitMix64(seed: seed ^ 0x5EED_B17E_55A1_D00D)
        var idRng = SplitMix64(seed: seed ^ 0x1D5E_ED00_C0FF_EE11)
        var used: Set<String> = [businessID]
        func uniqueID(digits: Int) -> String {
            let low: UInt64 = digits == 16 ? 1_000_000_000_000_000 : 100_000_000_000_000
            while true {
                let id = String(low + idRng.next() % (low * 9))
                if used.insert(id).inserted { return id }
            }
        }
        var wabas: [SimWABA] = []
        for w in 0..<max(0, wabaCount) {
            wabas.append(CatalogBuilder.makeWABA(index: w, wabaCount: wabaCount, templates: templatesPerWABA,
                                                 rng: &rng, newID: uniqueID))
        }
        self.wabas = wabas
        var wi: [String: Int] = [:], ti: [String: (Int, Int)] = [:], pi: [String: (Int, Int)] = [:]
        for w in wabas {
            wi[w.id] = w.index
            for t in w.templates { ti[t.id] = (w.index, t.index) }
            for p in w.phoneNumbers { pi[p.id] = (w.index, p.index) }
        }
        wabaIndexByID = wi
        templateIndexByID = ti
        phoneIndexByID = pi
    }

    public var wabaIDs: [String] { wabas.map(\.id) }

    public func waba(id: String) -> SimWABA? { wabaIndexByID[id].map { wabas[$0] } }
    public func template(id: String) -> (waba: SimWABA, template: SimTemplate)? {
        templateIndexByID[id].map { (wabas[$0.waba], wabas[$0.waba].templates[$0.template]) }
    }
    public func phoneNumber(id: String) -> (waba: SimWABA, phone: SimPhoneNumber)? {
        phoneIndexByID[id].map { (wabas[$0.waba], wabas[$0.waba].phoneNumbers[$0.phone]) }
    }
}
