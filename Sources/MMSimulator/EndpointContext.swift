/// What an endpoint needs to answer one request.
struct EndpointContext {
    let business: SimulatedBusiness
    let config: SimulatorConfig
    /// "Today" for the data, as a day number.
    let asOf: Int
    /// "http://127.0.0.1:PORT"
    let baseURL: String
    /// The request's version prefix, or "v25.0".
    let version: String
    /// The `emptypage` fault fired for this request.
    let emptyPage: Bool
    let pricingCache: PricingCache

    /// Absolute URL of an edge with the given parameters (values percent-encoded, in order).
    func edgeURL(_ node: String, _ edge: String, _ params: [(String, String)]) -> String {
        var url = "\(baseURL)/\(version)/\(node)/\(edge)"
        var sep = "?"
        for (k, v) in params {
            url += sep + k + "=" + QueryCoding.encode(v)
            sep = "&"
        }
        return url
    }

    /// The next/previous page URL: the canonical parameters plus limit and after/before.
    func pageURL(_ node: String, _ edge: String, _ canonical: [(String, String)], limit: Int,
                 after: String?, before: String?) -> String {
        var p = canonical
        p.append(("limit", String(limit)))
        if let after { p.append(("after", after)) }
        if let before { p.append(("before", before)) }
        return edgeURL(node, edge, p)
    }
}
