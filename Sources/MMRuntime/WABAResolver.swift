import Foundation
import Logging
import MMCore

/// Finds the WABAs to process (explicit list merged with business-portfolio discovery) and reads
/// each WABA's own fields (currency, timezone), phone numbers and, when the pipeline gives no
/// industry, the phone numbers' business-profile vertical. Every response is archived and listed in the manifest (dataset `waba`, `discovery`).
struct WABAResolver: Sendable {
    let fetcher: PageFetcher
    let requests: GraphRequests
    let config: PipelineConfig

    /// What discovery found: the WABAs to process and ids it refused (its pages are in the manifest).
    struct Discovery: Sendable {
        var entries: [WABAEntry]
        var diagnostics: [Diagnostic] = []
    }

    /// Explicit WABAs first (with their overrides), then discovered ones not already listed.
    /// A discovered id that is not all ASCII digits never reaches a URL path: it is diagnosed and skipped.
    func discover(asOf: Day, logger: Logger) async throws -> Discovery {
        var found = Discovery(entries: config.wabas)
        guard let d = config.discover else { return found }
        var known = Set(found.entries.map(\.id))
        for edge in d.edges {
            var url: String? = requests.businessWABAs(d.businessID, edge: edge)
            var trail = CursorTrail(requests: requests, maxPages: fetcher.maxPages)
            var page = 0
            while let u = url {
                try trail.enter(u)
                let (body, record, _) = try await fetcher.fetchOne(u, dataset: "discovery", wabaID: d.businessID,
                                                                   window: (asOf.description, asOf.description), page: page, logger: logger)
                for item in try CatalogNormalizer.idList(body, source: record.archived.relativePath) where known.insert(item.id).inserted {
                    guard GraphID.isValid(item.id) else {
                        let shown = GraphID.printable(item.id)
                        logger.warning("discovery returned a WABA id that is not a number: skipped", metadata: ["id": "\(shown)", "edge": "\(edge)"])
                        found.diagnostics.append(Diagnostic(kind: .other, subject: "discovered waba id", value: "\(shown) is not a number: skipped"))
                        continue
                    }
                    found.entries.append(WABAEntry(id: item.id, industry: nil, timezone: nil, country: nil))
                }
                url = try trail.next(after: body)
                page += 1
            }
        }
        logger.info("WABAs resolved", metadata: ["explicit": "\(config.wabas.count)", "total": "\(found.entries.count)"])
        return found
    }

    /// Reads the WABA's fields (required: currency, timezone), then its phone numbers and (if needed)
    /// verticals, which only enrich: when one of those calls fails (a deleted number, a permission
    /// error, any Graph error) the WABA still loads — one warning and one diagnostic per failing
    /// call kind, and the phone rows or vertical are left out.
    /// - Throws: only when the WABA's own fields cannot be read.
    func resolve(_ entry: WABAEntry, asOf: Day, logger: Logger) async throws -> (WABAInfo, [PhoneNumberRow], [Diagnostic]) {
        let window = (asOf.description, asOf.description)
        let (body, rec, _) = try await fetcher.fetchOne(requests.wabaFields(entry.id), dataset: "waba", wabaID: entry.id, window: window, page: 0, logger: logger)
        let fields = try CatalogNormalizer.wabaFields(body, source: rec.archived.relativePath)
        var diagnostics: [Diagnostic] = []
        if fields.info(entry: entry).timezoneSource == "utc-fallback" {
            diagnostics.append(Diagnostic(kind: .timezoneFallback, subject: "waba \(entry.id) timezone_id", value: fields.timezone_id ?? "absent"))
            logger.warning("WABA timezone id not in Meta's timezone table: days are UTC dates; set `timezone:` for this WABA in the pipeline file",
                           metadata: ["waba": "\(entry.id)", "timezone_id": "\(fields.timezone_id ?? "absent")"])
        }
        var degraded = Set<String>()
        func degrade(_ call: String, _ error: any Error) {
            guard !(error is CancellationError), degraded.insert(call).inserted else { return }
            diagnostics.append(Diagnostic(kind: .optionalCallFailed, subject: "waba \(entry.id) \(call)", value: "\(error)"))
            logger.warning("optional call failed: the WABA's facts load without it", metadata: ["call": "\(call)", "error": "\(error)"])
        }
        var listed: [CatalogNormalizer.IDName] = []
        do {
            let (pbody, prec, _) = try await fetcher.fetchOne(requests.phoneNumbers(entry.id), dataset: "waba", wabaID: entry.id, window: window, page: 1, logger: logger)
            listed = try CatalogNormalizer.idList(pbody, source: prec.archived.relativePath)
        } catch { degrade("phone_numbers", error) }
        var phones: [PhoneNumberRow] = []
        for p in listed {
            var vertical = ""
            if entry.industry == nil {
                do {
                    let (vb, vrec, _) = try await fetcher.fetchOne(requests.businessProfile(p.id), dataset: "waba", wabaID: entry.id, window: window, page: 2 + phones.count, logger: logger)
                    vertical = try CatalogNormalizer.vertical(vb, source: vrec.archived.relativePath)
                } catch { degrade("whatsapp_business_profile", error) }
            }
            phones.append(PhoneNumberRow(wabaID: entry.id, phoneNumberID: p.id, displayPhoneNumber: p.display_phone_number ?? "",
                                         verifiedName: p.verified_name ?? "", qualityRating: p.quality_rating ?? "", vertical: vertical))
        }
        let info = fields.info(entry: entry, vertical: phones.map(\.vertical).first { !$0.isEmpty } ?? "")
        return (info, phones, diagnostics)
    }
}
