import Foundation
import MMCore

/// What one fact's staging table holds after a slice's pages were COPYed into it.
struct StagedFact {
    let table: FactTable
    var rows = 0
    var rowsCopied: Int64 = 0
    var bytesCopied: Int64 = 0
    var copySeconds: Double = 0
    /// Smallest and largest staged `day`, nil without rows.
    var days: (first: String, last: String)?
    /// True when two staged rows may share a key (equal key hashes): the staging table is then
    /// deduplicated in SQL before the merge.
    var mayRepeatKeys = false
    /// True when every staged row is of the slice's WABA (what `FactMergePlan.holdsAnyRow` asks about).
    var onlySliceWABA = true
    fileprivate var keyHashes = Set<Int>()

    init(table: FactTable) { self.table = table }

    fileprivate mutating func add(_ page: StagingRows, copied: (rows: Int64, bytes: Int64, seconds: Double), wabaID: String) {
        rows += page.count
        rowsCopied += copied.rows
        bytesCopied += copied.bytes
        copySeconds += copied.seconds
        if let d = page.days {
            days = days.map { (min($0.first, d.first), max($0.last, d.last)) } ?? d
        }
        for hash in page.keyHashes where !keyHashes.insert(hash).inserted { mayRepeatKeys = true }
        if page.wabaIDs.contains(where: { $0 != wabaID }) { onlySliceWABA = false }
    }
}

/// A slice's rows staged page by page: each page's rows are COPYed into the session's staging
/// tables as the source produces them (so memory follows the page, not the slice), while the
/// counts, day ranges, data points and diagnostics are gathered. Catalog rows (few) are kept.
struct SliceStaging {
    var facts: [StagedFact] = FactTable.all.map { StagedFact(table: $0) }
    var templates: [TemplateRow] = []
    var rowsNormalized: Int64 = 0
    var dataPoints: Int64 = 0
    var diagnostics: [Diagnostic] = []

    /// Reads `source` once, COPYing each page's fact rows (one COPY per fact with rows) inside the
    /// caller's transaction.
    static func stage(_ source: any SliceRowSource, wabaID: String, on connection: PGConnection) throws -> SliceStaging {
        var staging = SliceStaging()
        try source.forEachPage { page in
            staging.rowsNormalized += Int64(page.rowCount)
            staging.dataPoints += Int64(page.dataPoints)
            staging.diagnostics += page.diagnostics
            staging.templates += page.templates
            for i in staging.facts.indices {
                let rows = StagingRows.of(staging.facts[i].table, in: page)
                guard rows.count > 0 else { continue }
                let copied = try FactMerge.copy(FactMergePlan(rows.table).copy, on: connection, write: rows.write)
                staging.facts[i].add(rows, copied: copied, wabaID: wabaID)
            }
        }
        if !staging.templates.isEmpty {
            var catalog = NormalizedBatch()
            catalog.templates = staging.templates
            staging.templates = catalog.deduplicated().templates
        }
        return staging
    }
}
