import Foundation
import MMCore

/// The raw archive on a local filesystem (SPEC §5).
///
/// Each body is gzip-compressed to `<directory>/<key.relativePath>` with its sidecar JSON beside it;
/// both are written to a temporary name, fsynced and renamed (sidecar first, so a body never exists
/// without its sidecar), then the directory is fsynced (see `syncToDisk`). The manifest entry's SHA-256 is that of
/// the stored compressed file, so `sha256sum` on the file prints it. Safe to use from several
/// threads: each write goes to its own temporary file.
public struct FileArchiveStore: ArchiveCatalog, Sendable {
    /// The archive root (`archive.dir`).
    public let directory: String
    /// gzip level for new files.
    public let compressionLevel: Int
    /// Whether writes are fsynced (files and directory) before `write` returns. Turning it off
    /// keeps atomicity (temporary name + rename) but not durability across a power loss: for
    /// tests and demos only.
    public let syncToDisk: Bool

    public init(directory: String, compressionLevel: Int = GzipCompressor.defaultLevel, syncToDisk: Bool = true) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.compressionLevel = compressionLevel
        self.syncToDisk = syncToDisk
    }

    public func write(_ body: [UInt8], sidecar: ArchiveSidecar, at key: ArchiveKey) throws -> ArchivedPage {
        try ArchivePaths.validate(key)
        let relativePath = key.relativePath
        let compressed: [UInt8]
        do { compressed = try GzipCompressor.gzip(body, level: compressionLevel) } catch {
            throw ArchiveError.io(path: relativePath, reason: error.description)
        }
        let sidecarJSON: [UInt8]
        do { sidecarJSON = try SidecarCodec.encode(sidecar) } catch {
            throw ArchiveError.io(path: key.sidecarRelativePath, reason: "cannot encode sidecar: \(error)")
        }
        let bodyPath = absolute(relativePath)
        let folder = AtomicFile.parentDirectory(of: bodyPath)
        try AtomicFile.makeDirectories(folder, displayPath: relativePath)
        try AtomicFile.write(sidecarJSON, to: absolute(key.sidecarRelativePath), displayPath: key.sidecarRelativePath, sync: syncToDisk)
        try AtomicFile.write(compressed, to: bodyPath, displayPath: relativePath, sync: syncToDisk)
        if syncToDisk { AtomicFile.syncDirectory(folder) }
        return ArchivedPage(relativePath: relativePath, sha256: ArchiveDigest.sha256Hex(compressed),
                            rawBytes: body.count, compressedBytes: compressed.count)
    }

    public func read(relativePath: String, expectedSHA256: String) throws -> [UInt8] {
        try ArchivePaths.validate(relativePath: relativePath)
        let stored = try AtomicFile.read(absolute(relativePath), displayPath: relativePath)
        return try ArchiveVerification.verifyAndGunzip(stored, relativePath: relativePath, expectedSHA256: expectedSHA256)
    }

    public func stored(relativePath: String) throws(ArchiveError) -> [UInt8] {
        try ArchivePaths.validate(relativePath: relativePath)
        return try AtomicFile.read(absolute(relativePath), displayPath: relativePath)
    }

    public func readSidecar(relativePath: String) throws(ArchiveError) -> ArchiveSidecar {
        try ArchivePaths.validate(relativePath: relativePath)
        let path = ArchivePaths.sidecarPath(forBody: relativePath)
        let bytes = try AtomicFile.read(absolute(path), displayPath: path)
        do { return try SidecarCodec.decode(bytes) } catch {
            throw .corrupt(path: path, reason: "invalid sidecar JSON")
        }
    }

    public func remove(relativePath: String) throws(ArchiveError) {
        try ArchivePaths.validate(relativePath: relativePath)
        let sidecar = ArchivePaths.sidecarPath(forBody: relativePath)
        try AtomicFile.remove(absolute(relativePath), displayPath: relativePath)
        try AtomicFile.remove(absolute(sidecar), displayPath: sidecar)
    }

    public func list(_ selection: ArchiveSelection) throws(ArchiveError) -> [ArchiveFileEntry] {
        let fm = FileManager.default
        let datasetDir = absolute(selection.dataset)
        var entries: [ArchiveFileEntry] = []
        for wabaDir in directoryNames(datasetDir, fm) where wabaDir.hasPrefix("waba=") {
            if let waba = selection.wabaID, wabaDir != "waba=\(waba)" { continue }
            for date in directoryNames("\(datasetDir)/\(wabaDir)", fm) {
                if let from = selection.fromDate, date < from { continue }
                if let through = selection.throughDate, date > through { continue }
                for file in directoryNames("\(datasetDir)/\(wabaDir)/\(date)", fm) {
                    let relative = "\(selection.dataset)/\(wabaDir)/\(date)/\(file)"
                    if let entry = ArchivePaths.parse(relative), selection.matches(entry) { entries.append(entry) }
                }
            }
        }
        return entries.sortedForListing()
    }

    /// The absolute path of a path relative to the archive root.
    public func absolute(_ relativePath: String) -> String { "\(directory)/\(relativePath)" }

    private func directoryNames(_ path: String, _ fm: FileManager) -> [String] {
        ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// The read-side checks shared by both stores: checksum of the stored bytes first, then gunzip.
enum ArchiveVerification {
    static func verifyAndGunzip(_ stored: [UInt8], relativePath: String, expectedSHA256: String) throws(ArchiveError) -> [UInt8] {
        let actual = ArchiveDigest.sha256Hex(stored)
        guard actual == expectedSHA256.lowercased() else {
            throw .checksumMismatch(path: relativePath, expected: expectedSHA256, actual: actual)
        }
        do { return try GzipDecompressor.gunzip(stored) } catch {
            throw .corrupt(path: relativePath, reason: error.description)
        }
    }
}
