import Foundation
import Logging
import MMCore

/// Loads one slice from its archived pages in one transaction, with its ledger writes: the
/// nightly run, backfills and replay all end here.
struct SliceLoader: Sendable {
    let archive: any ArchiveStore
    let warehouse: any Warehouse
    let runID: Int64
    var normalizers = PageNormalizers()

    /// What one slice's load wrote, and what its pages held.
    struct Loaded: Sendable {
        var stats: LoadStats
        var totals: PageTally.Totals
    }

    /// What the load records beside the rows.
    struct Ledger: Sendable {
        var finalBefore: Day
        var watermark: Day?
        var backfillKey: String?
        var apiCalls: Int
        var startedAt: Date
        var fetchedAt: Date
    }

    func load(_ slice: SliceIdentity, dataset: Dataset, pages: [FetchedPage], ledger: Ledger) async throws -> Loaded {
        // The warehouse reads the pages one by one inside the slice's transaction: peak memory is
        // one page and one COPY buffer, whatever the window.
        let source = ArchivedPages(archive: archive, normalize: normalizers[dataset], pages: pages)
        let stats = try await warehouse.loadSlice(SliceLoad(
            slice: slice, runID: runID, rows: source, finalBefore: ledger.finalBefore.description,
            advanceWatermarkTo: ledger.watermark?.description, backfillKey: ledger.backfillKey, apiCalls: ledger.apiCalls,
            pages: pages.count, attempts: 1, startedAt: ledger.startedAt, fetchedAt: ledger.fetchedAt))
        return Loaded(stats: stats, totals: source.tally.totals)
    }
}
