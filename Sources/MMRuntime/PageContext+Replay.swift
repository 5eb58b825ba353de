import Foundation
import MMCore

extension PageContext {
    /// The normalization context of an archived page, from its sidecar: its recorded request
    /// context when present; for sidecars written before that was recorded, read back from the
    /// archived request URL.
    static func replaying(_ sidecar: ArchiveSidecar, dataset: Dataset, info: WABAInfo, source: String) -> PageContext {
        if let r = sidecar.request {
            return PageContext(wabaID: info.wabaID, currency: info.currency, timezone: info.timezone,
                               requestedProductType: r.productType, useWABATimezone: r.useWABATimezone ?? false,
                               granularity: r.granularity ?? "DAILY",
                               pricingDimensions: PricingGrain.canonical(r.dimensions ?? []), source: source)
        }
        let q = QueryString.parse(sidecar.url)
        return PageContext(wabaID: info.wabaID, currency: info.currency, timezone: info.timezone,
                           requestedProductType: q["product_type"], useWABATimezone: q["use_waba_timezone"] == "true",
                           granularity: q["granularity"] ?? "DAILY",
                           pricingDimensions: PricingGrain.canonical(PricingGrain.listParameter(q["dimensions"] ?? "")), source: source)
    }
}

/// Query parameters of a URL, percent-decoded (for sidecars without a request context).
enum QueryString {
    static func parse(_ url: String) -> [String: String] {
        guard let q = url.firstIndex(of: "?") else { return [:] }
        var out: [String: String] = [:]
        for pair in url[url.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let v = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            out[k] = v
        }
        return out
    }
}
