import ArchiveGzip
import Foundation
import MMCore

/// Which archive files a prune would remove.
enum ArchivePruning {
    struct Victim { var relativePath: String; var bytes: Int }
    static let datasets = [DatasetName.catalog, DatasetName.pricing, DatasetName.templates, "waba", "discovery"]

    static func files(in store: FileArchiveStore, olderThan cutoff: Day) throws -> [Victim] {
        var out: [Victim] = []
        for ds in datasets {
            for f in try store.list(ArchiveSelection(dataset: ds, throughDate: (cutoff - 1).description)) {
                let size = (try? FileManager.default.attributesOfItem(atPath: store.absolute(f.relativePath))[.size] as? Int) ?? 0
                out.append(Victim(relativePath: f.relativePath, bytes: size))
            }
        }
        return out
    }
}
