/// The one product vocabulary: through which route a message was sent.
///
/// `MARKETING_LITE` (pricing category), `MARKETING_MESSAGES_LITE_API` (template product type) and
/// `marketing_lite` (webhooks) all mean "sent through the MM API"; Cloud API marketing is the other
/// route. The raw value is always kept beside it; unknown values map to `.other`, never dropped.
public enum Product: String, Sendable, Codable, Hashable, CaseIterable {
    case mmAPI = "mm_api"
    case cloudAPI = "cloud_api"
    case other = "other"

    /// Product of a `pricing_analytics` `pricing_category` (any case).
    /// `MARKETING_LITE` and its variants (`MARKETING_LITE_DYNAMIC`, `GROUP_MARKETING_LITE`, …) → `.mmAPI`;
    /// `MARKETING` / `GROUP_MARKETING` → `.cloudAPI`; everything else (utility, service, …) → `.other`.
    public static func ofPricingCategory(_ raw: String) -> Product {
        let v = raw.uppercased()
        if v.contains("MARKETING_LITE") { return .mmAPI }
        if v == "MARKETING" || v == "GROUP_MARKETING" { return .cloudAPI }
        return .other
    }

    /// Product of a `template_analytics` `product_type` (request or echoed form, any case);
    /// nil when the value is unknown (the caller keeps the raw value and records a diagnostic).
    public static func ofTemplateProductType(_ raw: String) -> Product? {
        switch raw.uppercased() {
        case "MARKETING_MESSAGES_LITE_API", "MARKETING_MESSAGES_API_FOR_WHATSAPP", "MARKETING_MESSAGES_API", "MARKETING_LITE":
            return .mmAPI
        case "CLOUD_API": return .cloudAPI
        default: return nil
        }
    }

    /// Whether a pricing category is known to the docs or the SDK (unknown ones are diagnosed, still kept).
    public static func isKnownPricingCategory(_ raw: String) -> Bool {
        knownPricingCategories.contains(raw.uppercased())
    }
    public static let knownPricingCategories: Set<String> = [
        "AI_BOT", "AUTHENTICATION", "AUTHENTICATION_INTERNATIONAL", "GROUP_MARKETING", "GROUP_MARKETING_LITE",
        "GROUP_SERVICE", "GROUP_UTILITY", "MARKETING", "MARKETING_LITE", "MARKETING_LITE_DYNAMIC", "SERVICE",
        "UTILITY", "REFERRAL_CONVERSION",
    ]
}

/// The route of one message from the send log (SPEC §4): `mm_api` when its pricing category is
/// `marketing_lite`, `cloud_api` when `marketing`, else `unknown`.
public enum Route: String, Sendable, Codable, Hashable {
    case mmAPI = "mm_api"
    case cloudAPI = "cloud_api"
    case unknown = "unknown"

    /// Route of a webhook `pricing.category` / `conversation.origin.type` value (any case).
    public static func ofWebhookCategory(_ raw: String?) -> Route {
        switch raw?.lowercased() {
        case "marketing_lite": return .mmAPI
        case "marketing": return .cloudAPI
        default: return .unknown
        }
    }
}
