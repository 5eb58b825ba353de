import Foundation
import MMCore

/// The rows of one fact for COPY into its staging table: how many, which days, and a producer
/// writing them in `FactTable.columns` order.
///
/// Text from the API passes through byte for byte (quotes, backslashes, tabs, newlines and emoji
/// included: `PGCopyText` escapes them), except U+0000, which PostgreSQL text cannot hold and
/// becomes U+FFFD. Money (`Decimal`) is written by `DecimalText`: plain decimal notation (never an
/// exponent) or `NaN`, both read by `numeric`.
package struct StagingRows {
    let table: FactTable
    let count: Int
    /// Smallest and largest `day` (`YYYY-MM-DD` sorts as text), nil without rows.
    package let days: (first: String, last: String)?
    /// A hash of each row's key (equal keys, equal hashes), to tell whether a slice repeats a key.
    let keyHashes: [Int]
    /// The WABAs of the rows.
    let wabaIDs: Set<String>
    package let write: (PGCopyWriter) throws -> Void

    init<Row>(_ table: FactTable, _ rows: [Row], day: (Row) -> String, waba: (Row) -> String,
              key: (Row, inout Hasher) -> Void, encode: @escaping (Row, PGCopyWriter) -> Void) {
        self.table = table
        count = rows.count
        var first: String?
        var last: String?
        var hashes: [Int] = []
        hashes.reserveCapacity(rows.count)
        var wabas = Set<String>()
        for row in rows {
            let d = day(row)
            if first.map({ d < $0 }) ?? true { first = d }
            if last.map({ d > $0 }) ?? true { last = d }
            var hasher = Hasher()
            key(row, &hasher)
            hashes.append(hasher.finalize())
            wabas.insert(waba(row))
        }
        keyHashes = hashes
        wabaIDs = wabas
        if let first, let last { days = (first, last) } else { days = nil }
        write = { writer in
            for row in rows {
                encode(row, writer)
                try writer.endRow()
            }
        }
    }

    /// The staging rows of a fact in `batch`.
    static func of(_ table: FactTable, in batch: NormalizedBatch) -> StagingRows {
        switch table.name {
        case FactTable.pricing.name: return pricing(batch.pricing)
        case FactTable.templateDaily.name: return templateDaily(batch.templateDaily)
        case FactTable.templateClicks.name: return templateClicks(batch.templateClicks)
        case FactTable.conversions.name: return conversions(batch.conversions)
        default: preconditionFailure("no staging rows for \(table.name)")
        }
    }

    package static func pricing(_ rows: [PricingRow]) -> StagingRows {
        StagingRows(.pricing, rows, day: \.day, waba: \.wabaID, key: { r, h in
            h.combine(r.wabaID); h.combine(r.granularity); h.combine(r.bucketStart); h.combine(r.phoneNumber); h.combine(r.country)
            h.combine(r.pricingCategory); h.combine(r.pricingType); h.combine(r.tier); h.combine(r.dimensions); h.combine(r.day)
        }) { r, w in
            w.field(r.wabaID); w.field(text(r.granularity)); w.field(r.bucketStart); w.field(text(r.phoneNumber))
            w.field(text(r.country)); w.field(text(r.pricingCategory)); w.field(text(r.pricingType)); w.field(text(r.tier))
            w.field(text(r.dimensions)); w.field(r.day); w.field(r.bucketEnd); w.field(r.product.rawValue); w.field(r.volume); decimal(r.cost, w)
            w.field(text(r.currency)); w.field(text(r.wabaTimezone))
        }
    }

    static func templateDaily(_ rows: [TemplateDailyRow]) -> StagingRows {
        StagingRows(.templateDaily, rows, day: \.day, waba: \.wabaID, key: { r, h in
            h.combine(r.wabaID); h.combine(r.templateID); h.combine(r.product); h.combine(r.day)
        }) { r, w in
            w.field(r.wabaID); w.field(text(r.templateID)); w.field(r.product.rawValue); w.field(r.day)
            w.field(text(r.productType)); w.field(r.bucketStart); w.field(r.bucketEnd); w.field(r.sent)
            w.field(r.delivered); w.field(r.read); w.field(r.urlClicks); w.field(r.uniqueURLClicks)
            w.field(r.quickReplyClicks); decimal(r.amountSpent, w); decimal(r.costPerDelivered, w); decimal(r.costPerURLClick, w)
            w.field(text(r.currency)); w.field(text(r.wabaTimezone)); w.field(r.replied)
        }
    }

    static func templateClicks(_ rows: [TemplateClickRow]) -> StagingRows {
        StagingRows(.templateClicks, rows, day: \.day, waba: \.wabaID, key: { r, h in
            h.combine(r.wabaID); h.combine(r.templateID); h.combine(r.product); h.combine(r.day); h.combine(r.buttonType)
            h.combine(r.buttonContent)
        }) { r, w in
            w.field(r.wabaID); w.field(text(r.templateID)); w.field(r.product.rawValue); w.field(r.day)
            w.field(text(r.buttonType)); w.field(text(r.buttonContent)); w.field(r.count)
        }
    }

    static func conversions(_ rows: [ConversionRow]) -> StagingRows {
        StagingRows(.conversions, rows, day: \.day, waba: \.wabaID, key: { r, h in
            h.combine(r.wabaID); h.combine(r.templateID); h.combine(r.product); h.combine(r.day); h.combine(r.metric)
        }) { r, w in
            w.field(r.wabaID); w.field(text(r.templateID)); w.field(r.product.rawValue); w.field(r.day)
            w.field(text(r.metric)); decimal(r.value, w); w.field(text(r.currency))
        }
    }

    /// Catalog rows for `TemplateCatalogPlan.copy`.
    static func writeTemplates(_ rows: [TemplateRow], to w: PGCopyWriter) throws {
        for r in rows {
            w.field(r.wabaID); w.field(text(r.templateID)); w.field(text(r.name)); w.field(text(r.language))
            w.field(text(r.category)); w.field(text(r.status)); w.field(text(r.qualityScore)); decimal(r.bidAmount, w)
            w.field(text(r.bidCurrency)); w.field(r.ttlSeconds); w.field(text(r.bidStrategy)); w.field(text(r.sendType))
            try w.endRow()
        }
    }

    /// A numeric field in plain decimal notation (`DecimalText`); nil is NULL.
    @inline(__always)
    static func decimal(_ value: Decimal?, _ writer: PGCopyWriter) {
        guard let value else {
            writer.null()
            return
        }
        var text: [UInt8] = []
        text.reserveCapacity(24)
        DecimalText.append(value, to: &text)
        writer.encodedField(text)
    }

    /// The text as PostgreSQL can store it: U+0000 becomes U+FFFD (the only character text cannot hold).
    @inline(__always)
    static func text(_ value: String) -> String {
        value.utf8.contains(0) ? value.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : value
    }
}
