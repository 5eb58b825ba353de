/// `template_analytics`, edge form (`/<WABA>/template_analytics?…`) and field-expansion form
/// (`/<WABA>?fields=template_analytics.start(…)…`): both read the same parameters.
///
/// Response data point (reference §2):
/// `{"template_id","start","end","sent","delivered","read","clicked":[{type,button_content,count}],
///   "cost":[{type,value}], <conversions>}`
/// - `start`/`end`: epoch seconds of UTC midnights, or `YYYY-MM-DD` with `use_waba_timezone=true`
///   (then the envelope carries `waba_timezone`). In UTC mode the simulator serves the same daily
///   figures as in WABA-timezone mode, just labelled with UTC midnights.
/// - Conversions (MM only; Meta does not document their shape): for most WABAs extra keys on the
///   data point (`"website_purchases":3,"website_purchases_conversion_value":120.5`); for WABAs
///   with `ConversionStyle.array` one key `"conversions":[{"type":"app_add_to_cart","value":2}]`.
/// - `numbersAsStrings` WABAs send sent/delivered/read as JSON strings.
/// - Window: `[start, end)`; `end == start` on dates means that one day. Days after asOf are
///   clipped; template-days with nothing sent are omitted. Order: day, then template_ids order.
enum TemplateAnalyticsEndpoint {
    static let maxTemplateIDs = 10
    static let retentionDays = 90

    struct Query {
        var startDay: Int
        var endDay: Int  // exclusive, clipped to asOf + 1
        var templates: [Int]
        var product: SimProduct
        var productEcho: String
        var wabaTimezone: Bool
        var metrics: Set<String>  // upper-case; empty = all
        var canonical: [(String, String)]
    }

    static func parse(_ p: [String: String], waba: SimWABA, ctx: EndpointContext) throws(GraphError) -> Query {
        guard waba.isEnabledForInsights else {
            throw GraphError.invalidParameter("(#100) Template analytics is not enabled for this WhatsApp Business Account. Enable it with is_enabled_for_insights=true.")
        }
        if let g = p["granularity"], g.uppercased() != "DAILY" {
            throw GraphError.invalidParameter("(#100) Param granularity must be one of {DAILY} - got \"\(g)\"")
        }
        guard p["template_ids"] != nil else { throw GraphError.invalidParameter("(#100) The parameter template_ids is required") }
        let ids = QueryCoding.array(p["template_ids"])
        guard ids.count <= maxTemplateIDs else {
            throw GraphError.invalidParameter("(#100) Param template_ids must be at most \(maxTemplateIDs)")
        }
        guard !ids.isEmpty else { throw GraphError.invalidParameter("(#100) Param template_ids must be a non-empty array") }
        var templates: [Int] = []
        for id in ids {
            if let t = waba.templates.first(where: { $0.id == id }), !templates.contains(t.index) { templates.append(t.index) }
        }
        let product: SimProduct
        let echo: String
        switch p["product_type"]?.uppercased() {
        case nil, "": product = .cloudAPI; echo = "cloud_api"
        case "CLOUD_API": product = .cloudAPI; echo = "cloud_api"
        case "MARKETING_MESSAGES_LITE_API", "MARKETING_MESSAGES_API_FOR_WHATSAPP":
            product = .mmAPI; echo = p["product_type"]!.lowercased()
        default:
            throw GraphError.invalidParameter("(#100) Param product_type must be one of {CLOUD_API, MARKETING_MESSAGES_LITE_API, MARKETING_MESSAGES_API_FOR_WHATSAPP} - got \"\(p["product_type"]!)\"")
        }
        let tz = ["true", "1"].contains(p["use_waba_timezone"]?.lowercased() ?? "")
        guard let startText = p["start"], !startText.isEmpty else { throw GraphError.invalidParameter("(#100) The parameter start is required") }
        guard let endText = p["end"], !endText.isEmpty else { throw GraphError.invalidParameter("(#100) The parameter end is required") }
        func day(_ text: String, name: String, isEnd: Bool) throws(GraphError) -> Int {
            if let d = CivilDate.parse(text) { return d }
            guard !tz, let t = Int64(text) else {
                throw GraphError.invalidParameter(tz
                    ? "(#100) Param \(name) must be a date in YYYY-MM-DD format when use_waba_timezone is true"
                    : "(#100) Param \(name) must be a UNIX timestamp or a date in YYYY-MM-DD format")
            }
            // Non-midnight timestamps snap back to 00:00 UTC; an end snaps forward (exclusive).
            let d = CivilDate.utcDay(epochSeconds: t)
            return isEnd && Int64(d) * 86_400 < t ? d + 1 : d
        }
        let startDay = try day(startText, name: "start", isEnd: false)
        var endDay = try day(endText, name: "end", isEnd: true)
        if endDay == startDay, CivilDate.parse(endText) != nil { endDay += 1 }
        guard endDay >= startDay else { throw GraphError.invalidParameter("(#100) Param end must be after start") }
        let oldest = ctx.asOf - retentionDays
        guard startDay >= oldest else {
            throw GraphError.invalidParameter(
                "(#100) Template analytics are only available for the last \(retentionDays) days: param start must be on or after \(CivilDate.format(oldest))",
                subcode: 2_494_010)
        }
        var canonical: [(String, String)] = [("start", startText), ("end", endText), ("granularity", p["granularity"] ?? "DAILY"),
                                             ("template_ids", p["template_ids"]!)]
        for k in ["metric_types", "product_type", "use_waba_timezone"] { if let v = p[k] { canonical.append((k, v)) } }
        return Query(startDay: startDay, endDay: min(endDay, ctx.asOf + 1), templates: templates, product: product,
                     productEcho: echo, wabaTimezone: tz,
                     metrics: Set(QueryCoding.array(p["metric_types"]).map { $0.uppercased() }), canonical: canonical)
    }

    /// Writes `{"data":[…],"paging":{…}}` (the value of `template_analytics` in the field form).
    static func write(_ p: [String: String], waba: SimWABA, ctx: EndpointContext, into j: inout JSONWriter) throws(GraphError) {
        let q = try parse(p, waba: waba, ctx: ctx)
        let page = try PageWindow.from(p, config: ctx.config)
        let business = ctx.business
        var items: [(day: Int, template: Int)] = []
        if q.endDay > q.startDay {
            items.reserveCapacity((q.endDay - q.startDay) * q.templates.count)
            for d in q.startDay..<q.endDay {
                for t in q.templates where business.sentDelivered(waba: waba.index, template: t, day: d, product: q.product) != nil {
                    items.append((d, t))
                }
            }
        }
        let served = ctx.emptyPage ? page.offset..<page.offset : page.range(total: items.count)
        j.beginObject()
        j.key("data")
        j.beginArray()
        j.beginObject()
        j.keyString("granularity", "DAILY")
        j.keyString("product_type", q.productEcho)
        if q.wabaTimezone { j.keyString("waba_timezone", waba.timezoneName) }
        j.key("data_points")
        j.beginArray()
        for i in served {
            let (d, t) = items[i]
            guard let c = business.counts(waba: waba.index, template: t, day: d, product: q.product, asOf: ctx.asOf) else { continue }
            writePoint(c, template: waba.templates[t], waba: waba, day: d, q: q, into: &j)
        }
        j.endArray()
        j.endObject()
        j.endArray()
        page.writePaging(into: &j, served: served, total: items.count, forceNext: ctx.emptyPage) { after, before in
            ctx.pageURL(waba.id, "template_analytics", q.canonical, limit: page.limit, after: after, before: before)
        }
        j.endObject()
    }

    static func writePoint(_ c: TemplateDayCounts, template tpl: SimTemplate, waba: SimWABA, day: Int, q: Query,
                           into j: inout JSONWriter) {
        let all = q.metrics.isEmpty
        func wants(_ m: String) -> Bool { all || q.metrics.contains(m) }
        j.beginObject()
        j.keyString("template_id", tpl.id)
        if q.wabaTimezone {
            j.keyString("start", CivilDate.format(day))
            j.keyString("end", CivilDate.format(day + 1))
        } else {
            j.key("start"); j.int(Int64(day) * 86_400)
            j.key("end"); j.int(Int64(day + 1) * 86_400)
        }
        let quoted = waba.numbersAsStrings
        if wants("SENT") { j.key("sent"); j.count(c.sent, quoted: quoted) }
        if wants("DELIVERED") { j.key("delivered"); j.count(c.delivered, quoted: quoted) }
        if wants("READ") { j.key("read"); j.count(c.read, quoted: quoted) }
        if wants("REPLIED") { j.key("replied"); j.count(c.replied, quoted: quoted) }
        let measured = q.product == .cloudAPI || waba.clickAndConversionMetrics
        if wants("CLICKED"), measured, tpl.urlButtonText != nil || tpl.quickReplyText != nil {
            j.key("clicked")
            j.beginArray()
            if let url = tpl.urlButtonText {
                button(&j, "url_button", url, c.urlClicks)
                button(&j, "unique_url_button", url, c.uniqueURLClicks)
            }
            if let qr = tpl.quickReplyText { button(&j, "quick_reply_button", qr, c.quickReplyClicks) }
            j.endArray()
        }
        if wants("COST"), !waba.onCreditLine {
            j.key("cost")
            j.beginArray()
            costEntry(&j, "amount_spent", c.amountSpentMicros)
            if c.delivered > 0 { costEntry(&j, "cost_per_delivered", rounded(c.amountSpentMicros, c.delivered)) }
            if tpl.urlButtonText != nil, c.urlClicks > 0 {
                costEntry(&j, "cost_per_url_button_click", rounded(c.amountSpentMicros, c.urlClicks))
            }
            j.endArray()
        }
        let conversions = c.conversions.filter { all || q.metrics.contains($0.metric.uppercased()) }
        if !conversions.isEmpty {
            switch waba.conversionStyle {
            case .extraKeys:
                for m in conversions {
                    j.key(m.metric)
                    if m.isMonetary { j.micros(m.value * 10_000) } else { j.int(m.value) }
                }
            case .array:
                j.key("conversions")
                j.beginArray()
                for m in conversions {
                    j.beginObject()
                    j.keyString("type", m.metric)
                    j.key("value")
                    if m.isMonetary { j.micros(m.value * 10_000) } else { j.int(m.value) }
                    j.endObject()
                }
                j.endArray()
            }
        }
        j.endObject()
    }

    private static func button(_ j: inout JSONWriter, _ type: StaticString, _ content: String, _ count: Int) {
        j.beginObject()
        j.key("type"); j.string(type)
        j.keyString("button_content", content)
        j.keyInt("count", count)
        j.endObject()
    }

    private static func costEntry(_ j: inout JSONWriter, _ type: StaticString, _ micros: Int64) {
        j.beginObject()
        j.key("type"); j.string(type)
        j.key("value"); j.micros(micros)
        j.endObject()
    }

    /// Division rounded half up, in micros.
    static func rounded(_ micros: Int64, _ by: Int) -> Int64 { (micros * 2 + Int64(by)) / (Int64(by) * 2) }
}
