/// Which resource a request addresses, resolved against the business.
enum Route {
    case wabaNode(SimWABA, fields: FieldSelection)
    case wabaEdge(SimWABA, String)
    case phoneNode(SimWABA, SimPhoneNumber)
    case phoneEdge(SimWABA, SimPhoneNumber, String)
    case templateNode(SimWABA, SimTemplate)
    case businessNode
    case businessEdge(String)
    case me
    case unknown(String)

    static let analyticsFields: Set<String> = ["pricing_analytics", "template_analytics"]

    init(_ req: GraphRequest, business: SimulatedBusiness) {
        let s = req.segments
        guard let id = s.first, s.count <= 2 else { self = .unknown(req.segments.joined(separator: "/")); return }
        let edge = s.count == 2 ? s[1] : nil
        if let w = business.waba(id: id) {
            self = edge.map { .wabaEdge(w, $0) } ?? .wabaNode(w, fields: FieldSelection(req.query["fields"]))
        } else if let (w, p) = business.phoneNumber(id: id) {
            self = edge.map { .phoneEdge(w, p, $0) } ?? .phoneNode(w, p)
        } else if let (w, t) = business.template(id: id), edge == nil {
            self = .templateNode(w, t)
        } else if id == business.businessID {
            self = edge.map { .businessEdge($0) } ?? .businessNode
        } else if id == "me", edge == nil {
            self = .me
        } else {
            self = .unknown(id)
        }
    }

    /// The `requestCounts()` key.
    var kind: String {
        switch self {
        case .wabaNode(_, let f):
            return f.names.first(where: Self.analyticsFields.contains) ?? "waba"
        case .wabaEdge(_, let e):
            return ["pricing_analytics", "template_analytics", "message_templates", "phone_numbers"].contains(e) ? e : "unknown"
        case .phoneNode: return "phone_number"
        case .phoneEdge(_, _, let e): return e == "whatsapp_business_profile" ? e : "unknown"
        case .templateNode: return "message_template"
        case .businessNode: return "business"
        case .businessEdge(let e):
            return ["owned_whatsapp_business_accounts", "client_whatsapp_business_accounts"].contains(e) ? e : "unknown"
        case .me: return "me"
        case .unknown: return "unknown"
        }
    }

    var pageable: Bool {
        switch kind {
        case "pricing_analytics", "template_analytics", "message_templates", "phone_numbers",
             "owned_whatsapp_business_accounts", "client_whatsapp_business_accounts": return true
        default: return false
        }
    }

    /// The id whose business-use-case usage this request counts against.
    func usageKey(business: SimulatedBusiness) -> String? {
        switch self {
        case .wabaNode(let w, _), .wabaEdge(let w, _), .phoneNode(let w, _), .phoneEdge(let w, _, _), .templateNode(let w, _):
            return w.id
        case .businessNode, .businessEdge: return business.businessID
        case .me, .unknown: return nil
        }
    }

    /// The JSON body of a successful answer.
    func respond(_ req: GraphRequest, ctx: EndpointContext) throws(GraphError) -> [UInt8] {
        var j = JSONWriter(capacity: 16_384)
        let q = req.query
        switch self {
        case .wabaNode(let w, let fields):
            j.beginObject()
            var plain: [String] = []
            for f in fields.fields {
                switch f.name {
                case "pricing_analytics":
                    j.key("pricing_analytics")
                    try PricingAnalyticsEndpoint.write(f.modifiers, waba: w, ctx: ctx, into: &j)
                case "template_analytics":
                    j.key("template_analytics")
                    try TemplateAnalyticsEndpoint.write(f.modifiers, waba: w, ctx: ctx, into: &j)
                case "analytics", "conversation_analytics", "template_group_analytics", "call_analytics", "group_analytics":
                    throw GraphError.invalidParameter("(#100) The simulator does not serve \(f.name)")
                default: plain.append(f.name)
                }
            }
            if fields.fields.isEmpty { plain = ["name"] }
            plain.removeAll { $0 == "id" }
            CatalogEndpoints.writeWABAFields(w, fields: plain, business: ctx.business, into: &j)
            j.keyString("id", w.id)
            j.endObject()
        case .wabaEdge(let w, "pricing_analytics"):
            try PricingAnalyticsEndpoint.write(q, waba: w, ctx: ctx, into: &j)
        case .wabaEdge(let w, "template_analytics"):
            try TemplateAnalyticsEndpoint.write(q, waba: w, ctx: ctx, into: &j)
        case .wabaEdge(let w, "message_templates"):
            try CatalogEndpoints.messageTemplates(w, params: q, ctx: ctx, into: &j)
        case .wabaEdge(let w, "phone_numbers"):
            try CatalogEndpoints.phoneNumbers(w, params: q, ctx: ctx, into: &j)
        case .wabaEdge(_, let e):
            throw GraphError.nonexistingField(e, nodeType: "WhatsAppBusinessAccount")
        case .phoneNode(_, let p):
            CatalogEndpoints.writePhone(p, fields: CatalogEndpoints.fieldsParam(q, default: CatalogEndpoints.defaultPhoneFields), into: &j)
        case .phoneEdge(let w, let p, "whatsapp_business_profile"):
            // Some WABAs' profiles cannot be read (Meta answers 10 or 200 for a permission the token
            // lacks, 100 for a deleted number): the ETL must still load the WABA.
            if w.profileFailure != 0 {
                throw w.profileFailure == 10 ? GraphError.permissionDenied : GraphError.unsupportedGet(p.id)
            }
            CatalogEndpoints.businessProfile(w, p, params: q, into: &j)
        case .phoneEdge(_, _, let e):
            throw GraphError.nonexistingField(e, nodeType: "WhatsAppBusinessPhoneNumber")
        case .templateNode(let w, let t):
            CatalogEndpoints.writeTemplate(t, waba: w, fields: CatalogEndpoints.fieldsParam(q, default: CatalogEndpoints.defaultTemplateFields), into: &j)
        case .businessNode:
            j.beginObject()
            j.keyString("name", ctx.business.businessName)
            j.keyString("id", ctx.business.businessID)
            j.endObject()
        case .businessEdge("owned_whatsapp_business_accounts"):
            try CatalogEndpoints.businessWABAs(client: false, params: q, ctx: ctx, into: &j)
        case .businessEdge("client_whatsapp_business_accounts"):
            try CatalogEndpoints.businessWABAs(client: true, params: q, ctx: ctx, into: &j)
        case .businessEdge(let e):
            throw GraphError.nonexistingField(e, nodeType: "Business")
        case .me:
            j.beginObject()
            j.keyString("name", "mmetl simulator system user")
            j.keyString("id", "61550000000000" + ctx.business.businessID.suffix(2))
            j.endObject()
        case .unknown(let id):
            throw GraphError.unsupportedGet(id)
        }
        return j.bytes
    }
}
