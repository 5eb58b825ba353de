import Foundation
import Logging
import MMCore

/// Executes one planned slice: extract → archive → normalize → load → ledger.
///
/// 1. The fetch is recorded (`etl.fetches`), then every page of every request is fetched and
///    archived, each page's manifest row written as soon as its file is durable;
/// 2. the fetch is marked complete once its last page is archived;
/// 3. the pages are normalized from the archive and loaded in one transaction with the watermark
///    or backfill chunk.
/// A normalizer that throws fails the slice at step 3: its pages stay archived, listed and
/// complete, so `replay` rebuilds it once the normalizer is fixed. A killed run leaves an
/// incomplete fetch, which replay never uses.
struct SliceRunner: Sendable {
    let extractor: SliceExtractor
    let loader: SliceLoader
    let warehouse: any Warehouse
    let clock: any RuntimeClock
    let pipeline: String

    func run(_ planned: PlannedSlice, waba: WABAInfo, templateIDs: [String]?, logger: Logger) async throws -> SliceLoader.Loaded {
        let slice = planned.identity(pipeline: pipeline)
        let started = clock.now()
        let calls = try extractor.calls(for: planned, waba: waba, templateIDs: templateIDs)
        var fetch = SliceFetch(fetchID: try await warehouse.beginFetch(runID: loader.runID, slice: slice), fetchedAt: started)
        try await extractor.fetch(calls, into: &fetch, logger: logger)
        try await warehouse.completeFetch(fetch.fetchID, pages: fetch.pages.count)
        return try await loader.load(slice, dataset: planned.dataset, pages: fetch.pages, ledger: SliceLoader.Ledger(
            finalBefore: planned.finalBefore, watermark: planned.watermark, backfillKey: planned.backfillKey,
            apiCalls: fetch.apiCalls, startedAt: started, fetchedAt: fetch.pages.isEmpty ? clock.now() : fetch.fetchedAt))
    }
}
