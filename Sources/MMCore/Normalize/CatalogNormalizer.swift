import Foundation

/// `message_templates` pages → `TemplateRow`s, and the small objects around them
/// (WABA fields, phone numbers, business profiles, discovery lists). Pure.
public enum CatalogNormalizer {
    struct Template: Decodable {
        struct Quality: Decodable { var score: String? }
        struct Bid: Decodable { var bid_amount: LenientDecimal?; var bid_strategy: String?; var currency: String? }
        var id: String
        var name: String?
        var language: String?
        var category: String?
        var status: String?
        var quality_score: Quality?
        /// Since 2026-06 (changelog); `bid_spec` is the retired name, read when the new one is absent.
        var optimization_spec: Bid?
        var bid_spec: Bid?
        var message_send_ttl_seconds: LenientDecimal?
        var send_type: String?
    }

    public static func normalize(_ bytes: [UInt8], context: PageContext) throws -> NormalizedBatch {
        let page = try GraphPage<Template>.decode(bytes, source: context.source)
        var batch = NormalizedBatch()
        for t in page.data {
            batch.dataPoints += 1
            let bid = t.optimization_spec ?? t.bid_spec
            batch.templates.append(TemplateRow(
                wabaID: context.wabaID, templateID: t.id, name: t.name ?? "", language: t.language ?? "",
                category: t.category ?? "", status: t.status ?? "", qualityScore: t.quality_score?.score ?? "",
                bidAmount: bid?.bid_amount?.value, bidCurrency: bid?.currency ?? (bid?.bid_amount == nil ? "" : context.currency),
                ttlSeconds: t.message_send_ttl_seconds?.int64, bidStrategy: bid?.bid_strategy ?? "", sendType: t.send_type ?? ""))
        }
        return batch
    }

    /// The WABA node's fields.
    public struct WABAFields: Decodable, Sendable {
        public var id: String
        public var name: String?
        public var currency: String?
        public var timezone_id: String?
        public var country: String?
        public var marketing_messages_onboarding_status: String?
        public var is_enabled_for_insights: Bool?
    }
    public static func wabaFields(_ bytes: [UInt8], source: String) throws -> WABAFields {
        do { return try JSONDecoder().decode(WABAFields.self, from: Data(bytes)) }
        catch let e as DecodingError { throw NormalizeError(source: source, reason: GraphPage<WABAFields>.describe(e)) }
    }

    /// `{"data":[{"id":…,"name":…}]}` lists (discovery, phone numbers).
    public struct IDName: Decodable, Sendable {
        public var id: String
        public var name: String?
        public var display_phone_number: String?
        public var verified_name: String?
        public var quality_rating: String?
    }
    public static func idList(_ bytes: [UInt8], source: String) throws -> [IDName] {
        try GraphPage<IDName>.decode(bytes, source: source).data
    }

    struct Profile: Decodable { var vertical: String? }
    /// The `vertical` of a `whatsapp_business_profile` answer (empty when absent).
    public static func vertical(_ bytes: [UInt8], source: String) throws -> String {
        try GraphPage<Profile>.decode(bytes, source: source).data.first?.vertical ?? ""
    }
}
