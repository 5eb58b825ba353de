import Foundation
import MMCore
import Synchronization

/// A slice's rows read back from the archive one page at a time (its checksum verified first) and
/// normalized by the dataset's normalizer: the nightly run and replay load exactly the archived
/// bytes through the same functions. Reading a page that fails to normalize throws, naming the file.
struct ArchivedPages: SliceRowSource {
    let archive: any ArchiveStore
    let normalize: PageNormalizer
    let pages: [FetchedPage]
    /// What the pages held, gathered while they stream by.
    let tally = PageTally()

    func forEachPage(_ body: (NormalizedBatch) throws -> Void) throws {
        for page in pages {
            let bytes = try archive.read(relativePath: page.record.archived.relativePath, expectedSHA256: page.record.archived.sha256)
            let batch = try normalize(bytes, page.context)
            tally.add(batch)
            try body(batch)
        }
    }
}

/// Totals of the pages a source produced: rows, data points, diagnostics, catalog template ids.
final class PageTally: Sendable {
    struct Totals: Sendable {
        var rows = 0
        var dataPoints = 0
        var diagnostics: [Diagnostic] = []
        var templateIDs: [String] = []
    }
    private let state = Mutex(Totals())

    func add(_ batch: NormalizedBatch) {
        state.withLock {
            $0.rows += batch.rowCount; $0.dataPoints += batch.dataPoints
            $0.diagnostics += batch.diagnostics; $0.templateIDs += batch.templates.map(\.templateID)
        }
    }
    var totals: Totals { state.withLock { $0 } }
}

/// The page normalizer of each dataset — the same functions for the nightly run and replay.
/// Replaceable (tests swap one in to fail on a page).
public struct PageNormalizers: Sendable {
    public var pricing: PageNormalizer = PricingNormalizer.normalize
    public var templates: PageNormalizer = TemplateAnalyticsNormalizer.normalize
    public var catalog: PageNormalizer = CatalogNormalizer.normalize
    public init() {}

    public subscript(_ dataset: Dataset) -> PageNormalizer {
        switch dataset {
        case .pricing: return pricing
        case .templates: return templates
        case .catalog: return catalog
        }
    }
}
