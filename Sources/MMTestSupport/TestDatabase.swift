import Foundation
import WarehousePG

/// A throwaway database in the test cluster named by `DATABASE_URL`.
///
/// Run tests through `make test` or `scripts/with-postgres.sh swift test …`, which start a
/// private PostgreSQL and export `DATABASE_URL` (a superuser, so tests may create databases and
/// `SET ROLE`). Each `create` makes a fresh database `mmetl_test_<label>_<random>`; `drop()`
/// removes it (set `MMETL_KEEP_TEST_DB=1` to keep it for inspection).
public struct TestDatabase: Sendable {
    /// The database name.
    public let name: String
    /// A libpq URI for the new database (may contain the cluster's password: don't log it).
    public let url: String
    /// `DATABASE_URL`, the maintenance database used to create and drop.
    public let adminURL: String

    /// Creates a fresh empty database.
    /// - Parameter label: a short tag for the test (letters, digits; others become `_`).
    /// - Throws: `TestDatabaseError.noDatabaseURL` when `DATABASE_URL` is unset; `PGError` otherwise.
    public static func create(label: String) throws -> TestDatabase {
        guard let adminURL = ProcessInfo.processInfo.environment["DATABASE_URL"], !adminURL.isEmpty else {
            throw TestDatabaseError.noDatabaseURL
        }
        let admin = try PGConnection(adminURL)
        defer { admin.close() }
        let name = databaseName(label: label)
        try admin.execute("CREATE DATABASE \(name)")
        var options = try admin.effectiveOptions()
        options["dbname"] = name
        return TestDatabase(name: name, url: PGConninfo.uri(from: options), adminURL: adminURL)
    }

    /// `create(label:)` then `migrate()`: a database with the full schema.
    public static func migrated(label: String) throws -> TestDatabase {
        let db = try create(label: label)
        do {
            try db.migrate()
        } catch {
            try? db.drop()
            throw error
        }
        return db
    }

    /// A new connection to this database (closed when released).
    public func connect() throws -> PGConnection {
        try PGConnection(url)
    }

    /// Applies the repository's `sql/migrations` (see `repositoryRoot`).
    @discardableResult
    public func migrate() throws -> MigrationRunner.Report {
        let conn = try connect()
        defer { conn.close() }
        return try MigrationRunner(directory: Self.migrationsDirectory).run(on: conn)
    }

    /// Applies only the repository's migrations whose file names sort before `name` (e.g. "0120"),
    /// from a copy of them in a temporary folder: the schema as a release before that migration
    /// left it, to test an upgrade with `migrate()` afterwards.
    @discardableResult
    public func migrate(before name: String) throws -> MigrationRunner.Report {
        let old = URL(fileURLWithPath: NSTemporaryDirectory() + "mmetl-old-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: old) }
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.migrationsDirectory.path)
        where file.hasSuffix(".sql") && file < name {
            try FileManager.default.copyItem(at: Self.migrationsDirectory.appendingPathComponent(file), to: old.appendingPathComponent(file))
        }
        let conn = try connect()
        defer { conn.close() }
        return try MigrationRunner(directory: old).run(on: conn)
    }

    /// Drops the database, disconnecting any session still in it.
    public func drop() throws {
        if ProcessInfo.processInfo.environment["MMETL_KEEP_TEST_DB"] == "1" { return }
        let admin = try PGConnection(adminURL)
        defer { admin.close() }
        try admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The folder holding `Package.swift`, found by walking up from this source file.
    public static var repositoryRoot: URL {
        let here = URL(fileURLWithPath: #filePath)
        guard let root = MigrationDirectory.packageRoot(above: here.deletingLastPathComponent()) else {
            fatalError("no Package.swift above \(here.path)")
        }
        return root
    }

    /// `<repository>/sql/migrations`.
    public static var migrationsDirectory: URL {
        repositoryRoot.appendingPathComponent("sql/migrations")
    }

    /// `mmetl_test_<label>_<8 hex>`, lower case, at most 63 bytes (PostgreSQL's identifier limit).
    static func databaseName(label: String) -> String {
        let cleaned = String(label.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }.prefix(32))
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "mmetl_test_\(cleaned)_\(suffix)"
    }
}

/// Why a test database could not be made.
public enum TestDatabaseError: Error, CustomStringConvertible {
    case noDatabaseURL

    public var description: String {
        switch self {
        case .noDatabaseURL:
            return "DATABASE_URL is not set: run the tests with `make test` or "
                + "`scripts/with-postgres.sh swift test`, which start a throwaway PostgreSQL and set it"
        }
    }
}
