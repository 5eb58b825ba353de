/// `pricing_analytics`, edge and field-expansion forms.
///
/// Data point: `{"start","end","country","phone_number","pricing_category","pricing_type","tier",
/// "volume","cost"}` with only the requested dimension keys (no dimensions = one aggregate per
/// bucket), `tier` omitted for free pricing types, `cost` absent for credit-line WABAs (and when
/// `metric_types` excludes COST). Buckets start at local midnight of the WABA's timezone;
/// DAILY and MONTHLY granularity. A bucket is served when its start is in `[start, end)` and
/// its day is not after asOf.
enum PricingAnalyticsEndpoint {
    static let retentionDays = 365

    /// A served data point: its bucket and the aggregated fact (dimensions not asked for blank).
    @dynamicMemberLookup
    struct Point: Sendable {
        var start: Int64
        var end: Int64
        var row: PricingRow
        subscript<T>(dynamicMember path: WritableKeyPath<PricingRow, T>) -> T {
            get { row[keyPath: path] }
            set { row[keyPath: path] = newValue }
        }
    }

    static let dimensionNames: Set<String> = ["COUNTRY", "PHONE", "PRICING_CATEGORY", "PRICING_TYPE", "TIER"]

    static func write(_ p: [String: String], waba: SimWABA, ctx: EndpointContext, into j: inout JSONWriter) throws(GraphError) {
        let granularity = (p["granularity"] ?? "").uppercased()
        guard granularity == "DAILY" || granularity == "MONTHLY" else {
            throw GraphError.invalidParameter(granularity.isEmpty || granularity == "HALF_HOUR"
                ? "(#100) The simulator serves granularity DAILY or MONTHLY - got \"\(p["granularity"] ?? "")\""
                : "(#100) Param granularity must be one of {HALF_HOUR, DAILY, MONTHLY} - got \"\(p["granularity"]!)\"")
        }
        let zone = waba.timeZone
        func time(_ name: String) throws(GraphError) -> Int64 {
            guard let text = p[name], !text.isEmpty else { throw GraphError.invalidParameter("(#100) The parameter \(name) is required") }
            if let t = Int64(text) { return t }
            if let d = CivilDate.parse(text) { return TimeZoneIDs.localMidnight(day: d, in: zone) }
            throw GraphError.invalidParameter("(#100) Param \(name) must be a UNIX timestamp")
        }
        let start = try time("start"), end = try time("end")
        guard end >= start else { throw GraphError.invalidParameter("(#100) Param end must be after start") }
        let oldest = ctx.asOf - retentionDays
        guard start >= TimeZoneIDs.localMidnight(day: oldest, in: zone) - 86_400 else {
            throw GraphError.invalidParameter(
                "(#100) Pricing analytics are only available for the last year: param start must be on or after \(CivilDate.format(oldest))",
                subcode: 2_494_010)
        }
        let dims = Set(QueryCoding.array(p["dimensions"]).map { $0.uppercased() })
        if let bad = dims.first(where: { !dimensionNames.contains($0) }) {
            throw GraphError.invalidParameter("(#100) Param dimensions[\(bad)] must be one of {COUNTRY, PHONE, PRICING_CATEGORY, PRICING_TYPE, TIER}")
        }
        let metrics = Set(QueryCoding.array(p["metric_types"]).map { $0.uppercased() })
        let phones = Set(QueryCoding.array(p["phone_numbers"]))
        let countries = Set(QueryCoding.array(p["country_codes"]).map { $0.uppercased() })
        let categories = Set(QueryCoding.array(p["pricing_categories"]).map { $0.uppercased() })
        let types = Set(QueryCoding.array(p["pricing_types"]).map { $0.uppercased() })
        let page = try PageWindow.from(p, config: ctx.config)

        let cacheKey = [waba.id, String(start), String(end), granularity, dims.sorted().joined(separator: ","),
                        phones.sorted().joined(separator: ","), countries.sorted().joined(separator: ","),
                        categories.sorted().joined(separator: ","), types.sorted().joined(separator: ","),
                        String(ctx.asOf)].joined(separator: "|")
        let points = ctx.pricingCache.points(for: cacheKey) {
            computePoints(waba: waba, ctx: ctx, start: start, end: end, granularity: granularity, dims: dims,
                          phones: phones, countries: countries, categories: categories, types: types)
        }
        let served = ctx.emptyPage ? page.offset..<page.offset : page.range(total: points.count)
        let withVolume = metrics.isEmpty || metrics.contains("VOLUME")
        let withCost = (metrics.isEmpty || metrics.contains("COST")) && !waba.onCreditLine
        j.beginObject()
        j.key("data")
        j.beginArray()
        j.beginObject()
        j.key("data_points")
        j.beginArray()
        for i in served {
            let pt = points[i]
            j.beginObject()
            j.key("start"); j.int(pt.start)
            j.key("end"); j.int(pt.end)
            if dims.contains("COUNTRY") { j.keyString("country", pt.country) }
            if dims.contains("PHONE") { j.keyString("phone_number", waba.phoneNumbers[pt.phone].digits) }
            if dims.contains("PRICING_CATEGORY") { j.keyString("pricing_category", pt.category) }
            if dims.contains("PRICING_TYPE") { j.keyString("pricing_type", pt.type) }
            if dims.contains("TIER"), let tier = pt.tier { j.keyString("tier", tier) }
            if withVolume { j.keyInt("volume", pt.volume) }
            if withCost { j.key("cost"); j.micros(pt.costMicros) }
            j.endObject()
        }
        j.endArray()
        j.endObject()
        j.endArray()
        var canonical: [(String, String)] = [("start", p["start"]!), ("end", p["end"]!), ("granularity", p["granularity"]!)]
        for k in ["dimensions", "metric_types", "phone_numbers", "country_codes", "pricing_categories", "pricing_types"] {
            if let v = p[k] { canonical.append((k, v)) }
        }
        page.writePaging(into: &j, served: served, total: points.count, forceNext: ctx.emptyPage) { after, before in
            ctx.pageURL(waba.id, "pricing_analytics", canonical, limit: page.limit, after: after, before: before)
        }
        j.endObject()
    }

    static func computePoints(waba: SimWABA, ctx: EndpointContext, start: Int64, end: Int64, granularity: String,
                              dims: Set<String>, phones: Set<String>, countries: Set<String>, categories: Set<String>,
                              types: Set<String>) -> [Point] {
        let zone = waba.timeZone
        // Days whose local midnight lies in [start, end), not after asOf.
        var firstDay = TimeZoneIDs.localDay(epochSeconds: start, in: zone)
        if TimeZoneIDs.localMidnight(day: firstDay, in: zone) < start { firstDay += 1 }
        var days: [(day: Int, start: Int64)] = []
        var d = firstDay
        while d <= ctx.asOf {
            let m = TimeZoneIDs.localMidnight(day: d, in: zone)
            if m >= end { break }
            days.append((d, m))
            d += 1
        }

        var points: [Point] = []
        var bucketRows: [PricingRow] = []
        var bucketStart: Int64 = 0, bucketEnd: Int64 = 0
        func flush() {
            guard !bucketRows.isEmpty else { return }
            points.append(contentsOf: aggregate(bucketRows, dims: dims, start: bucketStart, end: bucketEnd))
            bucketRows.removeAll(keepingCapacity: true)
        }
        var currentMonth = -1
        for (day, midnight) in days {
            if granularity == "DAILY" {
                flush()
                bucketStart = midnight
                bucketEnd = TimeZoneIDs.localMidnight(day: day + 1, in: zone)
            } else {
                let c = CivilDate.components(day)
                let month = c.year * 12 + c.month
                if month != currentMonth {
                    flush()
                    currentMonth = month
                    let first = CivilDate.dayNumber(year: c.year, month: c.month, day: 1)
                    let next = c.month == 12 ? CivilDate.dayNumber(year: c.year + 1, month: 1, day: 1)
                                             : CivilDate.dayNumber(year: c.year, month: c.month + 1, day: 1)
                    bucketStart = TimeZoneIDs.localMidnight(day: first, in: zone)
                    bucketEnd = TimeZoneIDs.localMidnight(day: next, in: zone)
                }
            }
            for row in ctx.business.pricingRows(waba: waba.index, day: day) {
                if !phones.isEmpty, !phones.contains(waba.phoneNumbers[row.phone].digits) { continue }
                if !countries.isEmpty, !countries.contains(row.country) { continue }
                if !categories.isEmpty, !categories.contains(row.category) { continue }
                if !types.isEmpty, !types.contains(row.type) { continue }
                bucketRows.append(row)
            }
        }
        flush()

        return points
    }

    /// Sums rows sharing the requested dimension values; output sorted by those values.
    static func aggregate(_ rows: [PricingRow], dims: Set<String>, start: Int64, end: Int64) -> [Point] {
        let c = dims.contains("COUNTRY"), ph = dims.contains("PHONE"), cat = dims.contains("PRICING_CATEGORY")
        let ty = dims.contains("PRICING_TYPE"), ti = dims.contains("TIER")
        struct Key: Hashable { let phone: Int; let country: String; let category: String; let type: String; let tier: String? }
        var index: [Key: Int] = [:]
        var out: [Point] = []
        for r in rows {
            var p = Point(start: start, end: end, row: PricingRow(phone: ph ? r.phone : 0, country: c ? r.country : "",
                                                                  category: cat ? r.category : "", type: ty ? r.type : "",
                                                                  tier: ti ? r.tier : nil, volume: 0, costMicros: 0))
            let key = Key(phone: p.phone, country: p.country, category: p.category, type: p.type, tier: p.tier)
            if let i = index[key] {
                out[i].volume += r.volume
                out[i].costMicros += r.costMicros
            } else {
                p.volume = r.volume
                p.costMicros = r.costMicros
                index[key] = out.count
                out.append(p)
            }
        }
        out.sort { a, b in
            (a.country, a.phone, a.category, a.type, a.tier ?? "") < (b.country, b.phone, b.category, b.type, b.tier ?? "")
        }
        return out
    }
}
