import Foundation
import MMCore
import Synchronization

/// A slice's rows read back from the archive one page at a time (its checksum verified first) and
/// normalized by the dataset's normalizer: the nightly run and replay load exactly the archived
/// bytes through the same functions. Reading a page that fails to normalize throws, naming the file.
struct ArchivedPages: SliceRowSource {
    let archive: any ArchiveStore
    let dataset: Dataset
    let pages: [FetchedPage]
    /// What the pages held, gathered while they stream by.
    let tally = PageTally()

    func forEachPage(_ body: (NormalizedBatch) throws -> Void) throws {
        let normalize = dataset.normalizer
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

extension Dataset {
    /// The dataset's page normalizer — the same function for the nightly run and replay.
    var normalizer: PageNormalizer {
        switch self {
        case .pricing: return PricingNormalizer.normalize
        case .templates: return TemplateAnalyticsNormalizer.normalize
        case .catalog: return CatalogNormalizer.normalize
        }
    }
}
