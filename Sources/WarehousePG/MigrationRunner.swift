import Foundation
import Logging
import MMCore

/// Applies the `NNNN_name.sql` files of a directory to a database, each once, in version order.
///
/// Contract:
/// - Holds a session advisory lock (`MigrationRunner.lockKey`) while it plans and applies, so
///   concurrent runs (two processes, two threads) apply each migration exactly once.
/// - Bootstraps schema `etl` and `etl.schema_migrations` when missing.
/// - Each pending file runs in its own transaction together with its `etl.schema_migrations`
///   row (version, name, sha256 checksum of the file's bytes, applied_at, duration_ms). A file must
///   therefore not contain transaction control or `CREATE INDEX CONCURRENTLY`.
/// - Refuses (a config-class `MigrationPlanError` naming the file) when an applied file's checksum
///   changed or an applied file is gone. Checksums are PostgreSQL's `sha256()` of the file's exact
///   bytes, so they equal `sha256sum <file>`.
/// - Running again with nothing new is a no-op.
public struct MigrationRunner: Sendable {
    /// The folder holding the migration files.
    public let directory: URL
    private let logger: Logger?

    /// The advisory lock every migrating session takes (FNV-1a of "mmetl.schema_migrations").
    public static let lockKey = PGAdvisoryKey(name: "mmetl.schema_migrations")

    public init(directory: URL, logger: Logger? = nil) {
        self.directory = directory
        self.logger = logger
    }

    /// What a run did.
    public struct Report: Sendable, Hashable {
        /// Files applied by this run, in order.
        public var applied: [MigrationFile]
        /// Files that were already applied.
        public var alreadyApplied: Int
    }

    /// Applies pending migrations on `connection` (which must not be inside a transaction).
    /// - Throws: `MigrationPlanError` (config) for edited/missing/misnamed files; `PGError` when a
    ///   migration fails (its transaction is rolled back, earlier ones stay applied);
    ///   `MigrationDirectoryError` when the folder cannot be read.
    @discardableResult
    public func run(on connection: PGConnection) throws -> Report {
        let sources = try readSources()
        return try connection.withAdvisoryLock(Self.lockKey) { conn in
            try bootstrap(conn)
            let plan = try makePlan(sources: sources, connection: conn)
            for file in plan.pending {
                guard let sql = sources.first(where: { $0.fileName == file.fileName })?.text else { continue }
                logger?.info("applying migration", metadata: ["file": .string(file.fileName)])
                try conn.transaction { conn in
                    do {
                        try conn.execute(sql)
                    } catch var error as PGError {
                        error.context = "migration \(file.fileName): \(error.context)"
                        throw error
                    }
                    try conn.query("""
                        INSERT INTO etl.schema_migrations (version, name, checksum, applied_at, duration_ms)
                        VALUES ($1, $2, $3, now(), (extract(epoch FROM clock_timestamp() - now()) * 1000)::int)
                        """, [file.version, file.name, file.checksum])
                }
            }
            if plan.pending.isEmpty {
                logger?.debug("migrations up to date", metadata: ["applied": .stringConvertible(plan.applied.count)])
            }
            try TransformChecksums.register(directory: directory.deletingLastPathComponent().appendingPathComponent("transforms"),
                                            on: conn, logger: logger)
            return Report(applied: plan.pending, alreadyApplied: plan.applied.count)
        }
    }

    /// The plan without applying anything (for `mmetl check`/`status`): no lock, no bootstrap;
    /// every file is pending when `etl.schema_migrations` does not exist yet.
    /// - Throws: like `run`.
    public func plan(on connection: PGConnection) throws -> MigrationPlan {
        try makePlan(sources: try readSources(), connection: connection)
    }

    // MARK: - Steps

    struct Source: Sendable {
        let fileName: String
        let text: String
        /// The file's bytes as a bytea hex literal (`\\x…`), so the checksum is `sha256sum` of the file.
        let hexBytes: String
    }

    func readSources() throws -> [Source] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationDirectoryError.unreadable(directory.path)
        }
        return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name in
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw MigrationDirectoryError.unreadable(url.path)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw MigrationDirectoryError.notUTF8(url.path)
            }
            return Source(fileName: name, text: text, hexBytes: Self.byteaHex(data))
        }
    }

    static func byteaHex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        bytes.reserveCapacity(2 + data.count * 2)
        for byte in data {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func bootstrap(_ conn: PGConnection) throws {
        try conn.execute("""
            CREATE SCHEMA IF NOT EXISTS etl;
            CREATE TABLE IF NOT EXISTS etl.schema_migrations (
                version     int PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                duration_ms int
            );
            """)
    }

    func makePlan(sources: [Source], connection conn: PGConnection) throws -> MigrationPlan {
        var entries: [(fileName: String, checksum: String)] = []
        for source in sources {
            let rows = try conn.query("SELECT encode(sha256($1::bytea), 'hex')", [source.hexBytes])
            entries.append((source.fileName, try rows.string(0, 0) ?? ""))
        }
        let files = try MigrationPlan.files(from: entries)
        let exists = try conn.query("SELECT to_regclass('etl.schema_migrations') IS NOT NULL").bool(0, 0) ?? false
        var applied: [AppliedMigration] = []
        if exists {
            for row in try conn.query("SELECT version, name, checksum FROM etl.schema_migrations ORDER BY version") {
                applied.append(AppliedMigration(version: try row.int("version") ?? 0, name: try row.string("name") ?? "",
                                                checksum: try row.string("checksum") ?? ""))
            }
        }
        return try MigrationPlan(files: files, applied: applied)
    }
}

/// The migrations folder is missing or unreadable. A configuration problem.
public enum MigrationDirectoryError: ClassifiedError, Hashable {
    case unreadable(String)
    case notUTF8(String)
    case notFound(searched: [String])

    public var failureClass: FailureClass { .config }

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read migrations at \(path)"
        case .notUTF8(let path): return "migration \(path) is not valid UTF-8"
        case .notFound(let searched):
            return "no sql/migrations folder found (looked in \(searched.joined(separator: ", "))); set MMETL_SQL_DIR to the sql folder"
        }
    }
}
