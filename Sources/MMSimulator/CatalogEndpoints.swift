/// Nodes and edges that describe the business: WABA fields, message templates, phone numbers,
/// business profiles, the portfolio's owned/client WABA edges, template and phone nodes.
enum CatalogEndpoints {
    /// Plain WABA fields. Unknown field names are ignored (omitted), not an error.
    static func writeWABAFields(_ waba: SimWABA, fields: [String], business: SimulatedBusiness, into j: inout JSONWriter) {
        for f in fields {
            switch f {
            case "id": j.keyString("id", waba.id)
            case "name": j.keyString("name", waba.name)
            case "currency": j.keyString("currency", waba.currency)
            case "timezone_id": j.keyString("timezone_id", waba.timezoneID)
            case "country": j.keyString("country", waba.businessCountry)
            case "message_template_namespace":
                j.keyString("message_template_namespace", "sim_\(waba.id.suffix(8))_ns")
            case "marketing_messages_onboarding_status": j.keyString("marketing_messages_onboarding_status", "ONBOARDED")
            case "marketing_messages_lite_api_status": j.keyString("marketing_messages_lite_api_status", "ONBOARDED")
            case "is_enabled_for_insights": j.key("is_enabled_for_insights"); j.bool(waba.isEnabledForInsights)
            case "account_review_status": j.keyString("account_review_status", "APPROVED")
            case "business_verification_status": j.keyString("business_verification_status", "verified")
            case "status": j.keyString("status", "ACTIVE")
            case "ownership_type": j.keyString("ownership_type", waba.listedAsClient ? "CLIENT_OWNED" : "SELF")
            case "owner_business_info":
                j.key("owner_business_info")
                j.beginObject()
                j.keyString("name", business.businessName)
                j.keyString("id", business.businessID)
                j.endObject()
            default: break
            }
        }
    }

    static let defaultTemplateFields = ["name", "components", "language", "status", "category", "id"]

    static func writeTemplate(_ t: SimTemplate, waba: SimWABA, fields: [String], into j: inout JSONWriter) {
        j.beginObject()
        for f in fields {
            switch f {
            case "id": j.keyString("id", t.id)
            case "name": j.keyString("name", t.name)
            case "language": j.keyString("language", t.language)
            case "category": j.keyString("category", t.category)
            case "status": j.keyString("status", t.status)
            case "parameter_format": j.keyString("parameter_format", "POSITIONAL")
            case "quality_score":
                j.key("quality_score")
                j.beginObject()
                j.keyString("score", t.qualityScore)
                j.key("date"); j.int(t.qualityDate)
                j.endObject()
            case "optimization_spec", "bid_spec":
                // optimization_spec since 2026-06 (changelog); bid_spec is its retired name, still served
                // to older clients. bid_amount: per 1,000 deliveries in the currency's smallest unit.
                if let bid = t.bidAmount {
                    j.key(f)
                    j.beginObject()
                    j.keyInt("bid_amount", bid)
                    if let strategy = t.bidStrategy { j.keyString("bid_strategy", strategy) }
                    j.endObject()
                }
            case "send_type": j.keyString("send_type", t.sendType)
            case "message_send_ttl_seconds":
                if let ttl = t.ttlSeconds { j.keyInt("message_send_ttl_seconds", ttl) }
            case "components":
                j.key("components")
                j.beginArray()
                j.beginObject()
                j.keyString("type", "BODY")
                j.keyString("text", t.bodyText)
                j.endObject()
                if t.urlButtonText != nil || t.quickReplyText != nil {
                    j.beginObject()
                    j.keyString("type", "BUTTONS")
                    j.key("buttons")
                    j.beginArray()
                    if let url = t.urlButtonText {
                        j.beginObject()
                        j.keyString("type", "URL")
                        j.keyString("text", url)
                        j.keyString("url", "https://shop.example.com/t/\(t.id)?utm_source=whatsapp")
                        j.endObject()
                    }
                    if let qr = t.quickReplyText {
                        j.beginObject()
                        j.keyString("type", "QUICK_REPLY")
                        j.keyString("text", qr)
                        j.endObject()
                    }
                    j.endArray()
                    j.endObject()
                }
                j.endArray()
            default: break
            }
        }
        j.endObject()
    }

    /// `{"data":[…],"paging":{…}}` over `items`, each written by `item`.
    static func writeList<T>(_ items: [T], params: [String: String], node: String, edge: String, canonical: [(String, String)],
                             ctx: EndpointContext, into j: inout JSONWriter,
                             item: (T, inout JSONWriter) -> Void) throws(GraphError) {
        let page = try PageWindow.from(params, config: ctx.config)
        let served = ctx.emptyPage ? page.offset..<page.offset : page.range(total: items.count)
        j.beginObject()
        j.key("data")
        j.beginArray()
        for i in served { item(items[i], &j) }
        j.endArray()
        page.writePaging(into: &j, served: served, total: items.count, forceNext: ctx.emptyPage) { after, before in
            ctx.pageURL(node, edge, canonical, limit: page.limit, after: after, before: before)
        }
        j.endObject()
    }

    static func fieldsParam(_ params: [String: String], default d: [String]) -> [String] {
        let f = FieldSelection(params["fields"]).names
        return f.isEmpty ? d : f
    }

    static func messageTemplates(_ waba: SimWABA, params: [String: String], ctx: EndpointContext, into j: inout JSONWriter) throws(GraphError) {
        let fields = fieldsParam(params, default: defaultTemplateFields)
        var items = waba.templates
        let statuses = Set(QueryCoding.array(params["status"]).map { $0.uppercased() })
        if !statuses.isEmpty { items = items.filter { statuses.contains($0.status) } }
        let categories = Set(QueryCoding.array(params["category"]).map { $0.uppercased() })
        if !categories.isEmpty { items = items.filter { categories.contains($0.category) } }
        var canonical: [(String, String)] = []
        for k in ["fields", "status", "category"] { if let v = params[k] { canonical.append((k, v)) } }
        try writeList(items, params: params, node: waba.id, edge: "message_templates", canonical: canonical, ctx: ctx, into: &j) { t, j in
            writeTemplate(t, waba: waba, fields: fields, into: &j)
        }
    }

    static let defaultPhoneFields = ["verified_name", "code_verification_status", "display_phone_number", "quality_rating",
                                     "platform_type", "throughput", "id"]

    static func writePhone(_ p: SimPhoneNumber, fields: [String], into j: inout JSONWriter) {
        j.beginObject()
        for f in fields {
            switch f {
            case "id": j.keyString("id", p.id)
            case "display_phone_number": j.keyString("display_phone_number", p.displayPhoneNumber)
            case "verified_name": j.keyString("verified_name", p.verifiedName)
            case "quality_rating": j.keyString("quality_rating", p.qualityRating)
            case "code_verification_status": j.keyString("code_verification_status", "VERIFIED")
            case "platform_type": j.keyString("platform_type", "CLOUD_API")
            case "name_status": j.keyString("name_status", "APPROVED")
            case "throughput":
                j.key("throughput")
                j.beginObject()
                j.keyString("level", "STANDARD")
                j.endObject()
            default: break
            }
        }
        j.endObject()
    }

    static func phoneNumbers(_ waba: SimWABA, params: [String: String], ctx: EndpointContext, into j: inout JSONWriter) throws(GraphError) {
        let fields = fieldsParam(params, default: defaultPhoneFields)
        let canonical = params["fields"].map { [("fields", $0)] } ?? []
        try writeList(waba.phoneNumbers, params: params, node: waba.id, edge: "phone_numbers", canonical: canonical, ctx: ctx, into: &j) { p, j in
            writePhone(p, fields: fields, into: &j)
        }
    }

    /// `{"data":[{"vertical":…,"messaging_product":"whatsapp",…}]}`
    static func businessProfile(_ waba: SimWABA, _ phone: SimPhoneNumber, params: [String: String], into j: inout JSONWriter) {
        let fields = fieldsParam(params, default: ["about", "address", "description", "email", "profile_picture_url", "websites", "vertical"])
        j.beginObject()
        j.key("data")
        j.beginArray()
        j.beginObject()
        for f in fields {
            switch f {
            case "vertical": j.keyString("vertical", waba.vertical)
            case "about": j.keyString("about", "Official channel of \(waba.name)")
            case "description": j.keyString("description", "\(waba.industry.capitalized) \u{2022} \(waba.businessCountry)")
            case "email": j.keyString("email", "hello+\(phone.id.suffix(4))@example.com")
            case "address": j.keyString("address", "1 Example Street")
            case "websites":
                j.key("websites")
                j.beginArray()
                j.string("https://shop.example.com/")
                j.endArray()
            default: break
            }
        }
        j.keyString("messaging_product", "whatsapp")
        j.endObject()
        j.endArray()
        j.endObject()
    }

    /// owned_whatsapp_business_accounts lists every WABA; client_whatsapp_business_accounts lists
    /// the `listedAsClient` ones again (duplicates discovery must dedupe).
    static func businessWABAs(client: Bool, params: [String: String], ctx: EndpointContext, into j: inout JSONWriter) throws(GraphError) {
        let business = ctx.business
        let items = client ? business.wabas.filter(\.listedAsClient) : business.wabas
        let fields = fieldsParam(params, default: ["id", "name"])
        let canonical = params["fields"].map { [("fields", $0)] } ?? []
        let edge = client ? "client_whatsapp_business_accounts" : "owned_whatsapp_business_accounts"
        try writeList(items, params: params, node: business.businessID, edge: edge, canonical: canonical, ctx: ctx, into: &j) { w, j in
            j.beginObject()
            writeWABAFields(w, fields: fields, business: business, into: &j)
            j.endObject()
        }
    }
}

import Foundation
