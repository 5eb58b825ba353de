import Foundation
import MMCore

/// One thing `archive verify` found wrong, naming the file.
public struct ArchiveFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A manifest row whose file is gone.
        case missing
        /// A file whose size, sha256, gzip stream or sidecar does not match its manifest row.
        case corrupt
        /// A file no manifest row lists (e.g. a run killed between the archive write and the row).
        case unlisted
    }
    public var kind: Kind
    public var path: String
    public var reason: String
    public init(kind: Kind, path: String, reason: String) { self.kind = kind; self.path = path; self.reason = reason }
    public var description: String { "\(kind.rawValue) \(path): \(reason)" }
}

/// An unlisted file described from its own bytes and sidecar: the manifest row it should have.
public struct UnlistedPage: Sendable {
    public var record: RawPageRecord
    /// The sidecar's request context (absent in sidecars of older versions).
    public var request: PageRequest?
}

/// Checks the archive against its manifest. Every file is read whole (sha256 and gzip stream).
public enum ArchiveAudit {
    /// The datasets whose pages are archived.
    public static let datasets = [DatasetName.catalog, DatasetName.pricing, DatasetName.templates, "waba", "discovery"]

    /// nil when the row's file exists, has the manifest's size and sha256, decompresses to the
    /// manifest's raw size, and has a readable sidecar.
    public static func check(_ row: RawPageRecord, in store: some ArchiveCatalog) -> ArchiveFinding? {
        let path = row.archived.relativePath
        let stored: [UInt8]
        do { stored = try store.stored(relativePath: path) } catch {
            if case .notFound = error { return ArchiveFinding(kind: .missing, path: path, reason: "listed in the manifest (run \(row.runID)) but not on disk") }
            return ArchiveFinding(kind: .corrupt, path: path, reason: error.description)
        }
        if stored.count != row.archived.compressedBytes {
            return ArchiveFinding(kind: .corrupt, path: path, reason: "\(stored.count) bytes, the manifest says \(row.archived.compressedBytes)")
        }
        do {
            let body = try ArchiveVerification.verifyAndGunzip(stored, relativePath: path, expectedSHA256: row.archived.sha256)
            if body.count != row.archived.rawBytes {
                return ArchiveFinding(kind: .corrupt, path: path, reason: "decompresses to \(body.count) bytes, the manifest says \(row.archived.rawBytes)")
            }
            _ = try store.readSidecar(relativePath: path)
        } catch {
            return ArchiveFinding(kind: .corrupt, path: path, reason: "\(error)")
        }
        return nil
    }

    /// Files of `selection` that no manifest path lists.
    public static func unlisted(in store: some ArchiveCatalog, _ selection: ArchiveSelection, listed: Set<String>) throws -> [ArchiveFileEntry] {
        try store.list(selection).filter { !listed.contains($0.relativePath) }
    }

    /// The manifest row an unlisted file should have, from its bytes and sidecar; throws (naming
    /// the file) when the body is not a whole gzip stream or the sidecar is unreadable.
    public static func describe(_ entry: ArchiveFileEntry, in store: some ArchiveCatalog) throws -> UnlistedPage {
        let stored = try store.stored(relativePath: entry.relativePath)
        let sha = ArchiveDigest.sha256Hex(stored)
        let body = try ArchiveVerification.verifyAndGunzip(stored, relativePath: entry.relativePath, expectedSHA256: sha)
        let sidecar = try store.readSidecar(relativePath: entry.relativePath)
        let fetchedAt = ISO8601DateFormatter().date(from: sidecar.fetchedAt) ?? Date(timeIntervalSince1970: 0)
        let record = RawPageRecord(runID: entry.runID, dataset: sidecar.dataset, wabaID: sidecar.wabaID,
                                   windowStart: sidecar.windowStart, windowEnd: sidecar.windowEnd, page: sidecar.page,
                                   archived: ArchivedPage(relativePath: entry.relativePath, sha256: sha, rawBytes: body.count,
                                                          compressedBytes: stored.count),
                                   httpStatus: sidecar.status, fetchedAt: fetchedAt, fetchID: sidecar.request?.fetchID)
        return UnlistedPage(record: record, request: sidecar.request)
    }

    /// Whether the sidecars of a fetch's pages prove the set complete: pages 0…n of the fetch are
    /// all present and page n is marked the fetch's last.
    public static func provesComplete(_ requests: [PageRequest]) -> Bool {
        guard let last = requests.max(by: { $0.fetchPage < $1.fetchPage }), last.lastOfFetch else { return false }
        return Set(requests.map(\.fetchPage)) == Set(0...last.fetchPage)
    }
}
