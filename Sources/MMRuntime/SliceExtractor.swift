import Foundation
import Logging
import MMCore

/// Extracts one dataset of one WABA for one window, using the fewest requests the API allows:
/// pricing windows up to `max_window_days`, template ids in batches of 10 per product type with all
/// metric types in one call, pages of the largest size. Error 100 on a window splits it once;
/// on a template product type it retries once with the documented alternative name.
public struct SliceExtractor: Sendable {
    let fetcher: PageFetcher
    let requests: GraphRequests
    let config: PipelineConfig

    init(fetcher: PageFetcher, requests: GraphRequests, config: PipelineConfig) {
        self.fetcher = fetcher; self.requests = requests; self.config = config
    }

    func pricing(_ waba: WABAInfo, window: DayWindow, logger: Logger) async throws -> Extracted {
        guard let ds = config.pricing else { return Extracted() }
        var out = Extracted()
        for w in window.split(maxDays: ds.maxWindowDays) {
            out.append(try await pricingWindow(waba, ds, w, splitAllowed: true, logger: logger))
        }
        return out
    }

    private func pricingWindow(_ waba: WABAInfo, _ ds: PricingDataset, _ w: DayWindow, splitAllowed: Bool, logger: Logger) async throws -> Extracted {
        let url = requests.pricing(waba.wabaID, start: TimeZones.localMidnight(w.start, in: waba.timezone),
                                   end: TimeZones.localMidnight(w.end + 1, in: waba.timezone),
                                   granularity: ds.granularity, dimensions: ds.dimensions)
        let ctx = PageContext(wabaID: waba.wabaID, currency: waba.currency, timezone: waba.timezone, granularity: ds.granularity,
                              pricingDimensions: PricingGrain.canonical(ds.dimensions), source: "")
        do {
            return try await fetcher.fetchAll(url, dataset: DatasetName.pricing, wabaID: waba.wabaID,
                                              window: (w.start.description, w.end.description), context: ctx,
                                              normalize: PricingNormalizer.normalize, logger: logger)
        } catch let e as GraphError where e.isInvalidParameter && splitAllowed {
            guard let (a, b) = w.halves() else { throw e }
            logger.warning("invalid parameter on a pricing window: splitting it once", metadata: ["window": "\(w)", "error": "\(e)"])
            var out = try await pricingWindow(waba, ds, a, splitAllowed: false, logger: logger)
            out.append(try await pricingWindow(waba, ds, b, splitAllowed: false, logger: logger))
            return out
        }
    }

    func templates(_ waba: WABAInfo, window: DayWindow, templateIDs: [String], logger: Logger) async throws -> Extracted {
        guard let ds = config.templates else { return Extracted() }
        var out = Extracted()
        for w in window.split(maxDays: ds.maxWindowDays) {
            for batch in TemplateBatching.batches(templateIDs) {
                for productType in ds.productTypes {
                    out.append(try await templateCall(waba, ds, w, batch, productType, fallbackAllowed: true, splitAllowed: true, logger: logger))
                }
            }
        }
        return out
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
                              fallbackAllowed: Bool, splitAllowed: Bool, logger: Logger) async throws -> Extracted {
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
        do {
            return try await fetcher.fetchAll(url, dataset: DatasetName.templates, wabaID: waba.wabaID,
                                              window: (w.start.description, w.end.description), context: ctx,
                                              normalize: TemplateAnalyticsNormalizer.normalize, logger: logger)
        } catch let e as GraphError where e.isInvalidParameter {
            if fallbackAllowed, let alt = Self.alternativeProductType(productType) {
                logger.warning("product_type rejected: trying its documented alternative", metadata: ["product_type": "\(productType)", "alternative": "\(alt)"])
                do {
                    return try await templateCall(waba, ds, w, ids, alt, fallbackAllowed: false, splitAllowed: false, logger: logger)
                } catch let e2 as GraphError where e2.isInvalidParameter && splitAllowed { _ = e2 }
            }
            guard splitAllowed, let (a, b) = w.halves() else { throw e }
            logger.warning("invalid parameter on a template window: splitting it once", metadata: ["window": "\(w)", "error": "\(e)"])
            var out = try await templateCall(waba, ds, a, ids, productType, fallbackAllowed: false, splitAllowed: false, logger: logger)
            out.append(try await templateCall(waba, ds, b, ids, productType, fallbackAllowed: false, splitAllowed: false, logger: logger))
            return out
        }
    }

    func catalog(_ waba: WABAInfo, asOf: Day, logger: Logger) async throws -> Extracted {
        let fields = config.catalog?.fields ?? CatalogDataset.defaultFields
        let ctx = PageContext(wabaID: waba.wabaID, currency: waba.currency, timezone: waba.timezone, source: "")
        return try await fetcher.fetchAll(requests.messageTemplates(waba.wabaID, fields: fields), dataset: DatasetName.catalog,
                                          wabaID: waba.wabaID, window: (asOf.description, asOf.description), context: ctx,
                                          normalize: CatalogNormalizer.normalize, logger: logger)
    }
}
