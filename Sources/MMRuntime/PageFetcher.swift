import Foundation
import Logging
import MMCore

/// What extraction of one slice produced: normalized rows, the archive manifest, and counters.
public struct Extracted: Sendable {
    public var batch = NormalizedBatch()
    public var rawPages: [RawPageRecord] = []
    public var apiCalls = 0
    public var pages = 0
    public var fetchedAt = Date(timeIntervalSince1970: 0)

    public init() {}
    mutating func append(_ o: Extracted) {
        batch.append(o.batch); rawPages += o.rawPages; apiCalls += o.apiCalls; pages += o.pages
        fetchedAt = max(fetchedAt, o.fetchedAt)
    }
}

/// Turns a page's bytes into rows; the nightly run and `replay` call the same functions.
public typealias PageNormalizer = @Sendable ([UInt8], PageContext) throws -> NormalizedBatch

/// Follows `paging.next` from a first URL to the last page. Each page is archived (compressed,
/// checksummed) **before** it is normalized, and normalization reads exactly the archived bytes.
/// Cursors are never persisted.
struct PageFetcher: Sendable {
    let client: GraphClient
    let requests: GraphRequests
    let archive: any ArchiveStore
    let counters: RunCounters
    let runID: Int64
    /// Upper bound on pages of one request, against a server that never stops paging.
    var maxPages = 10_000

    func fetchAll(_ firstURL: String, dataset: String, wabaID: String, window: (start: String, end: String),
                  context: PageContext, normalize: PageNormalizer, logger: Logger) async throws -> Extracted {
        var out = Extracted()
        var url: String? = firstURL
        var trail = CursorTrail(requests: requests, maxPages: maxPages)
        var page = 0
        while let current = url {
            try trail.enter(current)
            let (body, record, attempts) = try await fetchOne(current, dataset: dataset, wabaID: wabaID, window: window, page: page, logger: logger)
            out.apiCalls += attempts
            out.rawPages.append(record)
            var ctx = context
            ctx.source = record.archived.relativePath
            let normalized = try normalize(body, ctx)
            counters.update { $0.dataPoints += normalized.dataPoints }
            out.batch.append(normalized)
            out.pages += 1
            out.fetchedAt = record.fetchedAt
            page += 1
            url = try trail.next(after: body)
        }
        return out
    }

    /// GETs one page and archives it before anything reads it. Returns the body, its manifest row and the attempts.
    func fetchOne(_ url: String, dataset: String, wabaID: String, window: (start: String, end: String), page: Int,
                  logger: Logger) async throws -> ([UInt8], RawPageRecord, Int) {
        let result = try await client.get(url, logger: logger)
        let key = ArchiveKey(dataset: dataset, wabaID: wabaID, windowStart: window.start, runID: runID, seq: counters.nextSeq())
        let sidecar = ArchiveSidecar(url: url, status: result.response.status, responseHeaders: result.response.headers.fields,
                                     fetchedAt: ISO8601DateFormatter().string(from: result.fetchedAt), dataset: dataset,
                                     wabaID: wabaID, windowStart: window.start, windowEnd: window.end, page: page)
        // No credential reaches the archive; normalization and paging read these same scrubbed bytes.
        let body = BodyScrubber.scrub(result.response.body, secrets: [client.token.value] + (requests.appSecretProof.map { [$0] } ?? []))
        // The write fsyncs: keep it off the cooperative pool (two threads on this machine kind).
        let archive = self.archive
        let archived = try await Blocking.run { try archive.write(body, sidecar: sidecar, at: key) }
        counters.update { $0.bytesArchived += Int64(archived.compressedBytes); $0.pages += 1 }
        let record = RawPageRecord(runID: runID, dataset: dataset, wabaID: wabaID, windowStart: window.start, windowEnd: window.end,
                                   page: page, archived: archived, httpStatus: result.response.status, fetchedAt: result.fetchedAt)
        return (body, record, result.attempts)
    }
}
