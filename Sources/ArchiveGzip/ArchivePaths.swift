import MMCore

/// Rules shared by the archive stores for the SPEC §5 layout
/// `<dataset>/waba=<id>/<YYYY-MM-DD>/<run_id>-<seq>.json.gz`.
enum ArchivePaths {
    static let bodySuffix = ".json.gz"

    /// Throws unless every component of `key` is a single, ordinary path segment.
    static func validate(_ key: ArchiveKey) throws(ArchiveError) {
        for (what, value) in [("dataset", key.dataset), ("waba id", key.wabaID), ("window start", key.windowStart)] {
            if value.isEmpty || value.contains("/") || value.contains("\0") || value == "." || value == ".." {
                throw .io(path: key.relativePath, reason: "invalid \(what) \"\(value)\" in archive key")
            }
        }
    }

    /// Throws unless `relativePath` stays inside the archive (not absolute, no `..` segment).
    static func validate(relativePath: String) throws(ArchiveError) {
        let segments = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        if relativePath.isEmpty || relativePath.hasPrefix("/") || segments.contains("..") || relativePath.contains("\0") {
            throw .io(path: relativePath, reason: "not a path inside the archive")
        }
    }

    /// The sidecar path beside a body path (`….json.gz` → `….meta.json`).
    static func sidecarPath(forBody relativePath: String) -> String {
        ArchiveKey.sidecarPath(forBody: relativePath)
    }

    /// Parses a body path back into its key parts; nil for anything else (sidecars, temporaries).
    static func parse(_ relativePath: String) -> ArchiveFileEntry? {
        let parts = relativePath.split(separator: "/")
        guard parts.count == 4, parts[1].hasPrefix("waba="), parts[3].hasSuffix(bodySuffix),
              !parts[3].hasPrefix(".") else { return nil }
        let stem = parts[3].dropLast(bodySuffix.count)
        guard let dash = stem.lastIndex(of: "-"),
              let runID = Int64(stem[..<dash]), let seq = Int(stem[stem.index(after: dash)...]) else { return nil }
        return ArchiveFileEntry(relativePath: relativePath, dataset: String(parts[0]),
                                wabaID: String(parts[1].dropFirst("waba=".count)),
                                windowStart: String(parts[2]), runID: runID, seq: seq)
    }
}
