import Foundation
import Logging
import MMCore

/// The transforms' checksums: `mmetl migrate` registers each `sql/transforms/*.sql` (sha256 of its
/// bytes, computed by PostgreSQL as for migrations); before a transform runs, its bytes must match
/// the registered checksum. A file edited or added after `migrate` is refused (config class, exit
/// 64) naming the file, so no unreviewed SQL runs with the loader's rights.
enum TransformChecksums {
    /// Upserts the checksum of every transform file and forgets files no longer there.
    static func register(directory: URL, on conn: PGConnection, logger: Logger?) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        guard try conn.query("SELECT to_regclass('etl.transform_checksums') IS NOT NULL").bool(0, 0) == true else { return }
        let files = names.filter { $0.hasSuffix(".sql") }.sorted()
        try conn.transaction { c in
            for name in files {
                guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                    throw MigrationDirectoryError.unreadable(directory.appendingPathComponent(name).path)
                }
                try c.query("""
                    INSERT INTO etl.transform_checksums (name, checksum) VALUES ($1, encode(sha256($2::bytea), 'hex'))
                    ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, registered_at = now()
                    WHERE etl.transform_checksums.checksum <> EXCLUDED.checksum
                    """, [name, MigrationRunner.byteaHex(data)])
            }
            try c.query("DELETE FROM etl.transform_checksums WHERE NOT (name = ANY($1::text[]))", [PGTextArray(files)])
        }
        logger?.debug("transforms registered", metadata: ["count": .stringConvertible(files.count)])
    }

    /// Throws `TransformChecksumError` unless `data` is the registered version of `name`.
    static func verify(name: String, data: Data, on conn: PGConnection) throws {
        let ok = try conn.query("""
            SELECT checksum = encode(sha256($2::bytea), 'hex') AS ok FROM etl.transform_checksums WHERE name = $1
            """, [name, MigrationRunner.byteaHex(data)])
        guard ok.count == 1 else { throw TransformChecksumError(name: name, registered: false) }
        guard try ok.bool(0, "ok") == true else { throw TransformChecksumError(name: name, registered: true) }
    }
}

/// A transform file that `mmetl migrate` did not register in this version.
public struct TransformChecksumError: ClassifiedError, Equatable {
    public var name: String
    public var registered: Bool
    public var failureClass: FailureClass { .config }
    public var description: String {
        registered
            ? "transform \(name) changed since `mmetl migrate` registered it: review it, then run `mmetl migrate` to accept it"
            : "transform \(name) is not registered: run `mmetl migrate` (transforms are checksummed like migrations)"
    }
}
