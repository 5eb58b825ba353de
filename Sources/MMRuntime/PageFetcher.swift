import Foundation
import Logging
import MMCore

/// Turns a page's bytes into rows; the nightly run and `replay` call the same functions.
public typealias PageNormalizer = @Sendable ([UInt8], PageContext) throws -> NormalizedBatch

/// Follows `paging.next` from a call's first URL to its last page (a byte scan: no normalizer is
/// involved in paging). Each page is scrubbed of credentials, archived (compressed, checksummed,
/// fsynced) and its manifest row written at once, in its own statement, before the next request:
/// a killed run leaves every archived page listed, and a failed load never erases a manifest row.
/// Cursors are never persisted.
struct PageFetcher: Sendable {
    let client: GraphClient
    let requests: GraphRequests
    let archive: any ArchiveStore
    let manifest: any Warehouse
    let counters: RunCounters
    let runID: Int64
    /// Upper bound on pages of one request, against a server that never stops paging.
    var maxPages = 10_000

    /// Fetches every page of `call` into `fetch`. `isLastCall`: no other call of the fetch follows,
    /// so the call's last page is the fetch's last (recorded in its sidecar). Pages archived before
    /// a failure stay in `fetch.pages`, for the caller to supersede.
    func fetchAll(_ call: GraphCall, into fetch: inout SliceFetch, isLastCall: Bool, logger: Logger) async throws {
        var url: String? = call.url
        var trail = CursorTrail(requests: requests, maxPages: maxPages)
        var page = 0
        while let current = url {
            try trail.enter(current)
            var request = call.request
            request.fetchID = fetch.fetchID
            request.fetchPage = fetch.pages.count
            let (body, record, attempts) = try await fetchOne(current, dataset: call.dataset.rawValue, wabaID: call.context.wabaID,
                                                              window: (call.request.requestStart, call.request.requestEnd), page: page,
                                                              request: request, lastIfFinal: isLastCall, logger: logger)
            fetch.apiCalls += attempts
            var context = call.context
            context.source = record.archived.relativePath
            fetch.pages.append(FetchedPage(record: record, context: context))
            fetch.fetchedAt = record.fetchedAt
            page += 1
            url = try trail.next(after: body)
        }
    }

    /// GETs one page, archives it before anything reads it and records its manifest row. Returns
    /// the (scrubbed) body, its manifest row and the attempts. With `request`, the sidecar carries
    /// the full request context; `lastIfFinal` marks the sidecar `lastOfFetch` when the body has
    /// no next page.
    func fetchOne(_ url: String, dataset: String, wabaID: String, window: (start: String, end: String), page: Int,
                  request: PageRequest? = nil, lastIfFinal: Bool = false, logger: Logger) async throws -> ([UInt8], RawPageRecord, Int) {
        let result = try await client.get(url, logger: logger)
        let key = ArchiveKey(dataset: dataset, wabaID: wabaID, windowStart: window.start, runID: runID, seq: counters.nextSeq())
        // No credential reaches the archive; normalization and paging read these same scrubbed bytes.
        let body = BodyScrubber.scrub(result.response.body, secrets: [client.token.value] + (requests.appSecretProof.map { [$0] } ?? []))
        var pageRequest = request
        if lastIfFinal, GraphResponseInspector.nextPageURL(body) == nil { pageRequest?.lastOfFetch = true }
        let sidecar = ArchiveSidecar(url: url, status: result.response.status, responseHeaders: result.response.headers.fields,
                                     fetchedAt: ISO8601DateFormatter().string(from: result.fetchedAt), dataset: dataset,
                                     wabaID: wabaID, windowStart: window.start, windowEnd: window.end, page: page, request: pageRequest)
        // The write fsyncs: keep it off the cooperative pool (two threads on this machine kind).
        let archive = self.archive
        let archived = try await Blocking.run { try archive.write(body, sidecar: sidecar, at: key) }
        counters.update { $0.bytesArchived += Int64(archived.compressedBytes); $0.pages += 1 }
        let record = RawPageRecord(runID: runID, dataset: dataset, wabaID: wabaID, windowStart: window.start, windowEnd: window.end,
                                   page: page, archived: archived, httpStatus: result.response.status, fetchedAt: result.fetchedAt,
                                   fetchID: request?.fetchID)
        try await manifest.recordRawPages([record])
        return (body, record, result.attempts)
    }
}
