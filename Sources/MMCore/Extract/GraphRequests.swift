/// Builds Graph API URLs. Never adds the token (it travels in the `Authorization` header);
/// `appsecret_proof`, when given, is appended and removed again by `URLRedaction` before logging.
public struct GraphRequests: Sendable {
    public var baseURL: String
    public var apiVersion: String
    public var pageSize: Int
    public var appSecretProof: String?

    public init(baseURL: String, apiVersion: String, pageSize: Int, appSecretProof: String? = nil) {
        self.baseURL = baseURL; self.apiVersion = apiVersion; self.pageSize = pageSize; self.appSecretProof = appSecretProof
    }

    /// `GET /<ver>/<WABA_ID>?fields=…` for the WABA's own fields.
    public func wabaFields(_ wabaID: String) -> String {
        url("/\(wabaID)", [("fields", "id,name,currency,timezone_id,country,marketing_messages_onboarding_status,is_enabled_for_insights")])
    }

    /// `GET /<WABA_ID>/pricing_analytics` (edge form) for one window.
    public func pricing(_ wabaID: String, start: Int64, end: Int64, granularity: String, dimensions: [String]) -> String {
        url("/\(wabaID)/pricing_analytics", [
            ("start", String(start)), ("end", String(end)), ("granularity", granularity),
            ("dimensions", list(dimensions)), ("limit", String(pageSize)),
        ])
    }

    /// `GET /<WABA_ID>/template_analytics` (edge form) for ≤ 10 templates and one product type.
    /// With `useWABATimezone`, `start`/`end` are `YYYY-MM-DD` (end exclusive), else epoch seconds.
    public func templateAnalytics(_ wabaID: String, start: String, end: String, templateIDs: [String], productType: String,
                                  metricTypes: [String], useWABATimezone: Bool) -> String {
        precondition(templateIDs.count <= TemplateBatching.maxPerCall, "template_ids is limited to 10 per call")
        var q: [(String, String)] = [("start", start), ("end", end), ("granularity", "DAILY"),
                                     ("template_ids", list(templateIDs)), ("product_type", productType)]
        if !metricTypes.isEmpty { q.append(("metric_types", list(metricTypes))) }
        if useWABATimezone { q.append(("use_waba_timezone", "true")) }
        q.append(("limit", String(pageSize)))
        return url("/\(wabaID)/template_analytics", q)
    }

    /// `GET /<WABA_ID>/message_templates` (the catalog).
    public func messageTemplates(_ wabaID: String, fields: [String]) -> String {
        url("/\(wabaID)/message_templates", [("fields", fields.joined(separator: ",")), ("limit", String(min(pageSize, 250)))])
    }

    /// `GET /<BUSINESS_ID>/<edge>` for WABA discovery.
    public func businessWABAs(_ businessID: String, edge: String) -> String {
        url("/\(businessID)/\(edge)", [("fields", "id,name"), ("limit", String(min(pageSize, 250)))])
    }

    /// `GET /<WABA_ID>/phone_numbers`.
    public func phoneNumbers(_ wabaID: String) -> String {
        url("/\(wabaID)/phone_numbers", [("fields", "id,display_phone_number,verified_name,quality_rating"), ("limit", "100")])
    }

    /// `GET /<PHONE_NUMBER_ID>/whatsapp_business_profile?fields=vertical`.
    public func businessProfile(_ phoneNumberID: String) -> String {
        url("/\(phoneNumberID)/whatsapp_business_profile", [("fields", "vertical")])
    }

    func url(_ path: String, _ query: [(String, String)]) -> String {
        var q = query
        if let proof = appSecretProof { q.append(("appsecret_proof", proof)) }
        let qs = q.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        return "\(baseURL)/\(apiVersion)\(path)?\(qs)"
    }

    func list(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(b)))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}

/// Template ids in batches the API accepts (≤ 10 per `template_analytics` call).
public enum TemplateBatching {
    public static let maxPerCall = 10
    /// Sorted, de-duplicated ids in batches of at most 10 (the minimum number of calls).
    public static func batches(_ ids: [String]) -> [[String]] {
        let sorted = Array(Set(ids)).sorted { ($0.count, $0) < ($1.count, $1) }
        return stride(from: 0, to: sorted.count, by: maxPerCall).map { Array(sorted[$0..<min($0 + maxPerCall, sorted.count)]) }
    }
}
