import MMCore

/// One archived body found by listing, its key parts parsed back from the path.
public struct ArchiveFileEntry: Sendable, Hashable, Codable {
    public var relativePath: String
    public var dataset: String
    public var wabaID: String
    /// The window-start date directory, `YYYY-MM-DD`.
    public var windowStart: String
    public var runID: Int64
    public var seq: Int

    public init(relativePath: String, dataset: String, wabaID: String, windowStart: String, runID: Int64, seq: Int) {
        self.relativePath = relativePath; self.dataset = dataset; self.wabaID = wabaID
        self.windowStart = windowStart; self.runID = runID; self.seq = seq
    }

    /// The sidecar beside this body.
    public var sidecarRelativePath: String { ArchivePaths.sidecarPath(forBody: relativePath) }
}

/// Which archived bodies to list. Dates compare as `YYYY-MM-DD` strings, both ends inclusive.
public struct ArchiveSelection: Sendable, Hashable {
    public var dataset: String
    /// nil: every WABA of the dataset.
    public var wabaID: String?
    public var fromDate: String?
    public var throughDate: String?

    public init(dataset: String, wabaID: String? = nil, fromDate: String? = nil, throughDate: String? = nil) {
        self.dataset = dataset; self.wabaID = wabaID; self.fromDate = fromDate; self.throughDate = throughDate
    }

    func matches(_ entry: ArchiveFileEntry) -> Bool {
        entry.dataset == dataset
            && (wabaID.map { $0 == entry.wabaID } ?? true)
            && (fromDate.map { entry.windowStart >= $0 } ?? true)
            && (throughDate.map { entry.windowStart <= $0 } ?? true)
    }
}

/// Listing and removal, for `replay` and `prune`. Both archive stores conform.
public protocol ArchiveCatalog: ArchiveStore {
    /// Bodies matching `selection`, ordered by WABA, date, run id, then seq.
    func list(_ selection: ArchiveSelection) throws(ArchiveError) -> [ArchiveFileEntry]
    /// Deletes a body and its sidecar; missing files are not an error.
    func remove(relativePath: String) throws(ArchiveError)
    /// The stored (compressed) bytes of a body, unchecked; `.notFound` when absent.
    func stored(relativePath: String) throws(ArchiveError) -> [UInt8]
}

extension [ArchiveFileEntry] {
    func sortedForListing() -> [ArchiveFileEntry] {
        sorted { a, b in
            (a.dataset, a.wabaID, a.windowStart, a.runID, a.seq) < (b.dataset, b.wabaID, b.windowStart, b.runID, b.seq)
        }
    }
}
