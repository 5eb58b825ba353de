import MMCore
import Synchronization

/// The in-memory twin of `FileArchiveStore` for tests: it stores the same gzip bytes and sidecar
/// JSON under the same relative paths and applies the same checksum and gzip checks on `read`.
/// Thread-safe.
public final class InMemoryArchiveStore: ArchiveCatalog, Sendable {
    public let compressionLevel: Int
    private let files = Mutex<[String: [UInt8]]>([:])

    public init(compressionLevel: Int = GzipCompressor.defaultLevel) {
        self.compressionLevel = compressionLevel
    }

    public func write(_ body: [UInt8], sidecar: ArchiveSidecar, at key: ArchiveKey) throws -> ArchivedPage {
        try ArchivePaths.validate(key)
        let compressed: [UInt8]
        do { compressed = try GzipCompressor.gzip(body, level: compressionLevel) } catch {
            throw ArchiveError.io(path: key.relativePath, reason: error.description)
        }
        let sidecarJSON = try SidecarCodec.encode(sidecar)
        files.withLock {
            $0[key.sidecarRelativePath] = sidecarJSON
            $0[key.relativePath] = compressed
        }
        return ArchivedPage(relativePath: key.relativePath, sha256: ArchiveDigest.sha256Hex(compressed),
                            rawBytes: body.count, compressedBytes: compressed.count)
    }

    public func read(relativePath: String, expectedSHA256: String) throws -> [UInt8] {
        try ArchivePaths.validate(relativePath: relativePath)
        guard let stored = storedFile(relativePath) else { throw ArchiveError.notFound(path: relativePath) }
        return try ArchiveVerification.verifyAndGunzip(stored, relativePath: relativePath, expectedSHA256: expectedSHA256)
    }

    public func stored(relativePath: String) throws(ArchiveError) -> [UInt8] {
        try ArchivePaths.validate(relativePath: relativePath)
        guard let bytes = storedFile(relativePath) else { throw .notFound(path: relativePath) }
        return bytes
    }

    public func readSidecar(relativePath: String) throws(ArchiveError) -> ArchiveSidecar {
        try ArchivePaths.validate(relativePath: relativePath)
        let path = ArchivePaths.sidecarPath(forBody: relativePath)
        guard let bytes = storedFile(path) else { throw .notFound(path: path) }
        do { return try SidecarCodec.decode(bytes) } catch { throw .corrupt(path: path, reason: "invalid sidecar JSON") }
    }

    public func remove(relativePath: String) throws(ArchiveError) {
        try ArchivePaths.validate(relativePath: relativePath)
        let sidecar = ArchivePaths.sidecarPath(forBody: relativePath)
        files.withLock {
            $0[relativePath] = nil
            $0[sidecar] = nil
        }
    }

    public func list(_ selection: ArchiveSelection) throws(ArchiveError) -> [ArchiveFileEntry] {
        files.withLock { Array($0.keys) }
            .compactMap(ArchivePaths.parse)
            .filter(selection.matches)
            .sortedForListing()
    }

    // MARK: Test hooks

    /// The stored bytes (gzip for bodies, JSON for sidecars) at `relativePath`.
    public func storedFile(_ relativePath: String) -> [UInt8]? {
        files.withLock { $0[relativePath] }
    }

    /// Replaces stored bytes, e.g. to simulate corruption on disk.
    public func replaceStoredFile(_ relativePath: String, with bytes: [UInt8]) {
        files.withLock { $0[relativePath] = bytes }
    }

    /// Every stored path (bodies and sidecars), sorted.
    public var storedPaths: [String] { files.withLock { $0.keys.sorted() } }
}
