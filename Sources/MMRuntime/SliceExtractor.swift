import Foundation
import Logging
import MMCore

/// Fetches and archives every page of one slice, using the fewest requests the API allows:
/// pricing windows up to `max_window_days`, template ids in batches of 10 per product type with all
/// metric types in one call, pages of the largest size. Error 100 on a window splits it once;
/// on a template product type it retries once with the documented alternative name (then splits).
/// Nothing here normalizes: the slice runner does, from the archive, once the fetch is complete.
struct SliceExtractor: Sendable {
    let fetcher: PageFetcher
    let requests: GraphRequests
    let config: PipelineConfig

    /// Executes `calls` in order (fallbacks replace a rejected call in place) into the fetch.
    /// Pages of a call that failed and was replaced are superseded in the manifest.
    func fetch(_ calls: [GraphCall], into fetch: inout SliceFetch, logger: Logger) async throws {
        var queue = calls[...]
        while let call = queue.popFirst() {
            let before = fetch.pages.count
            do {
                try await fetcher.fetchAll(call, into: &fetch, isLastCall: queue.isEmpty, logger: logger)
            } catch let e as GraphError where e.isInvalidParameter && !call.fallbacks.isEmpty {
                let failed = fetch.pages[before...].map(\.record.archived.relativePath)
                fetch.pages.removeSubrange(before...)
                try await fetcher.manifest.supersedePages(paths: failed)
                var fallbacks = call.fallbacks
                let taken = fallbacks.removeFirst()
                logger.warning("\(taken.reason)", metadata: ["window": "\(call.request.requestStart)…\(call.request.requestEnd)", "error": "\(e)"])
                var replacement = taken.calls
                replacement[0].fallbacks += fallbacks
                queue = replacement[...] + queue
            }
        }
    }

    /// The calls of a planned slice. Templates need the catalog's ids (`templateIDs`).
    func calls(for slice: PlannedSlice, waba: WABAInfo, templateIDs: [String]?) throws -> [GraphCall] {
        switch slice.dataset {
        case .catalog:
            let fields = config.catalog?.fields ?? CatalogDataset.defaultFields
            let ctx = PageContext(wabaID: waba.wabaID, currency: waba.currency, timezone: waba.timezone, source: "")
            return [GraphCall(dataset: .catalog, url: requests.messageTemplates(waba.wabaID, fields: fields), context: ctx,
                              request: Self.request(slice.window))]
        case .pricing:
            guard let ds = config.pricing else { return [] }
            return slice.window.split(maxDays: ds.maxWindowDays).map { pricingCall(waba, ds, $0, splittable: true) }
        case .templates:
            guard let ds = config.templates else { return [] }
            guard let ids = templateIDs else {
                throw RuntimeError(failureClass: .terminal, message: "the template catalog could not be read, so template analytics were not requested")
            }
            return slice.window.split(maxDays: ds.maxWindowDays).flatMap { w in
                TemplateBatching.batches(ids).flatMap { batch in
                    ds.productTypes.map { templateCall(waba, ds, w, batch, $0, fallbackAllowed: true, splittable: true) }
                }
            }
        }
    }

    private static func request(_ w: DayWindow) -> PageRequest {
        PageRequest(fetchID: 0, fetchPage: 0, lastOfFetch: false, requestStart: w.start.description, requestEnd: w.end.description)
    }

    private func pricingCall(_ waba: WABAInfo, _ ds: PricingDataset, _ w: DayWindow, splittable: Bool) -> GraphCall {
        let url = requests.pricing(waba.wabaID, start: TimeZones.localMidnight(w.start, in: waba.timezone),
                                   end: TimeZones.localMidnight(w.end + 1, in: waba.timezone),
                                   granularity: ds.granularity, dimensions: ds.dimensions)
        let ctx = PageContext(wabaID: waba.wabaID, currency: waba.currency, timezone: waba.timezone, granularity: ds.granularity,
                              pricingDimensions: PricingGrain.canonical(ds.dimensions), source: "")
        var request = Self.request(w)
        request.granularity = ds.granularity; request.dimensions = ds.dimensions
        var call = GraphCall(dataset: .pricing, url: url, context: ctx, request: request)
        if splittable, let (a, b) = w.halves() {
            call.fallbacks = [GraphCallFallback(reason: "invalid parameter on a pricing window: splitting it once",
                                                calls: [pricingCall(waba, ds, a, splittable: false), pricingCall(waba, ds, b, splittable: false)])]
        }
        return call
    }

    /// The documented alternative name of an MM product type (reference §2 naming conflict).
    static func alternativeProductType(_ t: String) -> String? {
        switch t.uppercased() {
        case "MARKETING_MESSAGES_LITE_API": return "MARKETING_MESSAGES_API_FOR_WHATSAPP"
        case "MARKETING_MESSAGES_API_FOR_WHATSAPP": return "MARKETING_MESSAGES_LITE_API"
        default: return nil
        }
    }

    private func templateCall(_ waba: WABAInfo, _ ds: TemplatesDataset, _ w: DayWindow, _ ids: [String], _ productType: String,
                              fallbackAllowed: Bool, splittable: Bool) -> GraphCall {
        let start: String, end: String
        if ds.useWABATimezone {
            start = w.start.description; end = (w.end + 1).description
        } else {
            start = String(w.start.epochSecondsUTC); end = String((w.end + 1).epochSecondsUTC)
        }
        let url = requests.templateAnalytics(waba.wabaID, start: start, end: end, templateIDs: ids, productType: productType,
                                             metricTypes: ds.metricTypes, useWABATimezone: ds.useWABATimezone)
        let ctx = PageContext(wabaID: waba.wabaID, currency: waba.currency, timezone: waba.timezone,
                              requestedProductType: productType, useWABATimezone: ds.useWABATimezone, source: "")
        var request = Self.request(w)
        request.productType = productType; request.templateIDs = ids; request.useWABATimezone = ds.useWABATimezone
        var call = GraphCall(dataset: .templates, url: url, context: ctx, request: request)
        if fallbackAllowed, let alt = Self.alternativeProductType(productType) {
            call.fallbacks.append(GraphCallFallback(reason: "product_type \(productType) rejected: trying its documented alternative \(alt)",
                                                    calls: [templateCall(waba, ds, w, ids, alt, fallbackAllowed: false, splittable: false)]))
        }
        if splittable, let (a, b) = w.halves() {
            call.fallbacks.append(GraphCallFallback(reason: "invalid parameter on a template window: splitting it once", calls: [
                templateCall(waba, ds, a, ids, productType, fallbackAllowed: false, splittable: false),
                templateCall(waba, ds, b, ids, productType, fallbackAllowed: false, splittable: false),
            ]))
        }
        return call
    }
}
