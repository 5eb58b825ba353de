import Foundation
import MMCore
import MMTestSupport
import Logging
import Testing
@testable import WarehousePG

@Suite(.serialized) struct MigrationRunnerTests {
    static var fileCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: TestDatabase.migrationsDirectory.path))?
            .filter { $0.hasSuffix(".sql") }.count ?? 0
    }

    @Test func migratingTwiceIsANoOp() throws {
        let db = try TestDatabase.create(label: "migrate")
        defer { try? db.drop() }
        let first = try db.migrate()
        #expect(first.applied.count == Self.fileCount)
        #expect(first.applied.map(\.version) == first.applied.map(\.version).sorted())
        let second = try db.migrate()
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == Self.fileCount)
        let conn = try db.connect()
        let rows = try conn.query("SELECT count(*), count(DISTINCT checksum), min(duration_ms) >= 0 FROM etl.schema_migrations")
        #expect(try rows.int(0, 0) == Self.fileCount)
        #expect(try rows.bool(0, 2) == true)
        let plan = try MigrationRunner(directory: TestDatabase.migrationsDirectory).plan(on: conn)
        #expect(plan.isUpToDate)
    }

    @Test func concurrentRunsApplyEachMigrationOnce() throws {
        let db = try TestDatabase.create(label: "concurrent")
        defer { try? db.drop() }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            do {
                let conn = try db.connect()
                let report = try MigrationRunner(directory: TestDatabase.migrationsDirectory).run(on: conn)
                outcomes.add(.success(report.applied.count))
            } catch {
                outcomes.add(.failure(error))
            }
        }
        let results = outcomes.all
        #expect(results.count == 3)
        let appliedCounts = results.compactMap { try? $0.get() }
        #expect(appliedCounts.count == 3, "errors: \(results)")
        #expect(appliedCounts.reduce(0, +) == Self.fileCount)
        let conn = try db.connect()
        let rows = try conn.query("SELECT count(*), count(DISTINCT version) FROM etl.schema_migrations")
        #expect(try rows.int(0, 0) == Self.fileCount)
        #expect(try rows.int(0, 1) == Self.fileCount)
    }

    @Test func anEditedOrMissingMigrationIsRefused() throws {
        let db = try TestDatabase.create(label: "edited")
        defer { try? db.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmetl-migrations-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestDatabase.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let conn = try db.connect()
        let runner = MigrationRunner(directory: folder)
        try runner.run(on: conn)

        let edited = folder.appendingPathComponent("0003_etl_runs.sql")
        try (String(contentsOf: edited, encoding: .utf8) + "\n-- a harmless-looking edit\n").write(to: edited, atomically: true, encoding: .utf8)
        do {
            try runner.run(on: conn)
            Issue.record("expected a refusal")
        } catch let error as MigrationPlanError {
            #expect(error.failureClass == .config)
            #expect(error.description.contains("0003_etl_runs.sql"))
            #expect(error.problems.count == 1)
        }

        try FileManager.default.removeItem(at: edited)
        do {
            try runner.run(on: conn)
            Issue.record("expected a refusal")
        } catch let error as MigrationPlanError {
            #expect(error.description.contains("0003_etl_runs.sql is recorded as applied but its file is missing"))
        }
        // The lock was released despite the failures.
        #expect(try conn.tryAdvisoryLock(MigrationRunner.lockKey))
    }

    @Test func aFailingMigrationRollsBackAndKeepsEarlierOnes() throws {
        let db = try TestDatabase.create(label: "failing")
        defer { try? db.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmetl-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE ok (id int);".write(to: folder.appendingPathComponent("0001_ok.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE half (id int); SELECT no_such_function();"
            .write(to: folder.appendingPathComponent("0002_broken.sql"), atomically: true, encoding: .utf8)
        let conn = try db.connect()
        do {
            try MigrationRunner(directory: folder).run(on: conn)
            Issue.record("expected a failure")
        } catch let error as PGError {
            #expect(error.description.contains("0002_broken.sql"))
            #expect(error.sqlState == "42883")
        }
        #expect(try conn.query("SELECT to_regclass('half') IS NULL, to_regclass('ok') IS NOT NULL").bool(0, 0) == true)
        #expect(try conn.query("SELECT array_agg(version) FROM etl.schema_migrations").string(0, 0) == "{1}")
        // The checksum is sha256 of the file's bytes (what `sha256sum` prints).
        #expect(try conn.query("SELECT checksum FROM etl.schema_migrations").string(0, 0)
            == "1212c9c4a953807c270b0bd8589271c3eee76fb164b9852a89a929d16fb002dc")
    }

    @Test func analystsReadMmOnlyAndLoadersWrite() throws {
        let db = try TestDatabase.create(label: "roles")
        defer { try? db.drop() }
        try db.migrate()
        let conn = try db.connect()
        try conn.execute("CREATE TABLE mm.later_table (id int); INSERT INTO mm.later_table VALUES (1); CREATE VIEW mm.later_view AS SELECT id FROM mm.later_table")

        try conn.execute("SET ROLE mmetl_analyst")
        #expect(try conn.query("SELECT count(*) FROM mm.later_table").int(0, 0) == 1)
        #expect(try conn.query("SELECT count(*) FROM mm.later_view").int(0, 0) == 1)
        for table in ["etl.runs", "etl.schema_migrations", "etl.watermarks"] {
            do {
                try conn.query("SELECT count(*) FROM \(table)")
                Issue.record("analyst could read \(table)")
            } catch let error as PGError {
                #expect(error.sqlState == "42501")
            }
        }
        #expect(throws: PGError.self) { try conn.query("INSERT INTO mm.later_table VALUES (2)") }
        try conn.execute("RESET ROLE")

        try conn.execute("SET ROLE mmetl_loader")
        let runID = try conn.query("INSERT INTO etl.runs (command, args) VALUES ($1, $2::jsonb) RETURNING run_id",
                                   ["test", #"{"a": 1}"#]).int64(0, 0)
        #expect(runID != nil)
        try conn.query("INSERT INTO mm.later_table VALUES (2)")
        try conn.query("INSERT INTO etl.sendlog_rejects (sha256, path, line, reason, raw) VALUES ('x', 'f', 1, 'bad', $1)",
                       [String(repeating: "z", count: 5000)])
        #expect(try conn.query("SELECT length(raw) FROM etl.sendlog_rejects").int(0, 0) == 1000)
        try conn.execute("RESET ROLE")
    }

    @Test func everyEtlTableAndColumnIsCommented() throws {
        let db = try TestDatabase.create(label: "comments")
        defer { try? db.drop() }
        try db.migrate()
        let conn = try db.connect()
        let missing = try conn.query("""
            SELECT c.relname || coalesce('.' || a.attname, '') AS what
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'etl'
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'v', 'p')
              AND (CASE WHEN a.attnum IS NULL THEN obj_description(c.oid, 'pg_class')
                        ELSE col_description(c.oid, a.attnum) END) IS NULL
            UNION ALL
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'etl'
            WHERE c.relkind IN ('r', 'v', 'p') AND obj_description(c.oid, 'pg_class') IS NULL
            """).compactMap { try $0.string("what") }
        #expect(missing.isEmpty, "uncommented: \(missing)")
    }

    @Test func locatesTheSQLFolder() throws {
        let root = TestDatabase.repositoryRoot
        let fromBuild = try MigrationDirectory.locate(environment: [:], executablePath: root.path + "/.build/debug/mmetl",
                                                      currentDirectory: "/")
        #expect(fromBuild.path == root.appendingPathComponent("sql/migrations").path)
        let fromEnv = try MigrationDirectory.locate(environment: ["MMETL_SQL_DIR": root.path + "/sql"], executablePath: nil,
                                                    currentDirectory: "/")
        #expect(fromEnv.path == root.appendingPathComponent("sql/migrations").path)
        #expect(throws: MigrationDirectoryError.self) {
            try MigrationDirectory.locate(environment: ["MMETL_SQL_DIR": "/nonexistent"], executablePath: nil, currentDirectory: "/")
        }
        // The current directory is never searched: a `sql/` wherever the command runs could be anyone's.
        #expect(throws: MigrationDirectoryError.self) {
            try MigrationDirectory.locate(environment: [:], executablePath: "/usr/bin/mmetl-nowhere", currentDirectory: root.path)
        }
    }

    @Test func transformsAreChecksummedLikeMigrations() throws {
        let db = try TestDatabase.create(label: "tx_sum")
        defer { try? db.drop() }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory() + "mmetl-sql-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("transforms"), withIntermediateDirectories: true)
        try fm.copyItem(at: TestDatabase.repositoryRoot.appendingPathComponent("sql/migrations"), to: dir.appendingPathComponent("migrations"))
        let t = dir.appendingPathComponent("transforms/10_t.sql")
        try "SELECT 1;".write(to: t, atomically: true, encoding: .utf8)
        let conn = try db.connect()
        try MigrationRunner(directory: dir.appendingPathComponent("migrations")).run(on: conn)
        let registered = try conn.query("SELECT checksum FROM etl.transform_checksums WHERE name = '10_t.sql'").string(0, 0)
        let expected = try conn.query("SELECT encode(sha256('SELECT 1;'::bytea), 'hex')").string(0, 0)
        #expect(registered != nil && registered == expected)
        let runner = SendLogTransformRunner(directory: dir.appendingPathComponent("transforms"), settings: [:])
        _ = try runner.run(on: conn, from: Day("2026-11-01")!, to: Day("2026-11-02")!, logger: Logger(label: "t"))
        // Edited after migrate: refused, naming the file, until migrate registers it again.
        try "DROP SCHEMA mm CASCADE;".write(to: t, atomically: true, encoding: .utf8)
        #expect(throws: TransformChecksumError(name: "10_t.sql", registered: true)) {
            _ = try runner.run(on: conn, from: Day("2026-11-01")!, to: Day("2026-11-02")!, logger: Logger(label: "t"))
        }
        #expect(try conn.query("SELECT to_regnamespace('mm') IS NOT NULL").bool(0, 0) == true)
        // A file added after migrate: refused too; `migrate` accepts both.
        try "SELECT 1;".write(to: t, atomically: true, encoding: .utf8)
        try "SELECT 2;".write(to: dir.appendingPathComponent("transforms/20_new.sql"), atomically: true, encoding: .utf8)
        #expect(throws: TransformChecksumError(name: "20_new.sql", registered: false)) {
            _ = try runner.run(on: conn, from: Day("2026-11-01")!, to: Day("2026-11-02")!, logger: Logger(label: "t"))
        }
        try MigrationRunner(directory: dir.appendingPathComponent("migrations")).run(on: conn)
        #expect(try runner.run(on: conn, from: Day("2026-11-01")!, to: Day("2026-11-02")!, logger: Logger(label: "t")).count == 2)
    }
}

/// Results collected from concurrent workers.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Int, any Error>] = []
    func add(_ result: Result<Int, any Error>) { lock.withLock { results.append(result) } }
    var all: [Result<Int, any Error>] { lock.withLock { results } }
}
