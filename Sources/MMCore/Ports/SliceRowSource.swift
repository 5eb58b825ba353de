/// The rows of one slice, produced one page at a time.
///
/// Contract: `forEachPage` calls `body` once per page, in page order, with that page's normalized
/// rows, and rethrows what normalization (or reading the archive) throws. The warehouse calls it
/// inside the slice's load transaction and COPYs each page into staging as it comes, so peak memory
/// is one page and one COPY buffer whatever the slice's date range. Keys may repeat across pages:
/// the warehouse deduplicates in SQL, the later page winning (as `NormalizedBatch.deduplicated()`).
/// A source may be read more than once only if it says so; the warehouse reads it once.
public protocol SliceRowSource: Sendable {
    func forEachPage(_ body: (NormalizedBatch) throws -> Void) throws
}

/// An already normalized batch is a source of one page.
extension NormalizedBatch: SliceRowSource {
    public func forEachPage(_ body: (NormalizedBatch) throws -> Void) throws { try body(self) }
}
