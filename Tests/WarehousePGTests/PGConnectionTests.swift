import Foundation
import MMTestSupport
import Testing
import WarehousePG

@Suite(.serialized) struct PGConnectionTests {
    @Test func parameterizedQueriesCarryHostileStringsVerbatim() throws {
        let db = try TestDatabase.create(label: "params")
        defer { try? db.drop() }
        let conn = try db.connect()
        try conn.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        let hostile = [
            "Robert'); DROP TABLE t;--", "$1", "'' OR 1=1", #"\"#, #"\x41\\N"#, "tab\tnew\nline\rcr",
            "\"double\"", "🙂 emoji 👨‍👩‍👧", "", "  spaces  ", "E'\\x00'", ";", "$$ dollar $$",
        ]
        for (index, value) in hostile.enumerated() {
            try conn.query("INSERT INTO t (id, v) VALUES ($1, $2)", [index, value])
        }
        try conn.query("INSERT INTO t (id, v) VALUES ($1, $2)", [999, nil])
        let rows = try conn.query("SELECT id, v FROM t WHERE id < $1 ORDER BY id", [999])
        #expect(rows.count == hostile.count)
        for row in rows {
            #expect(try row.string("v") == hostile[try row.int("id")!])
        }
        let null = try conn.query("SELECT v, v IS NULL AS is_null FROM t WHERE id = $1", [999])
        #expect(try null.string(0, "v") == nil)
        #expect(try null.isNull(0, "v"))
        #expect(try null.bool(0, "is_null") == true)
        let matched = try conn.query("SELECT count(*) FROM t WHERE v = ANY($1::text[])", [PGTextArray(hostile)])
        #expect(try matched.int64(0, 0) == Int64(hostile.count))
    }

    /// One rule for NUL, which PostgreSQL text cannot hold: U+FFFD, as a bind parameter and in COPY alike
    /// (a WABA name with a NUL used to fail that WABA on every run while COPY loaded it).
    @Test func nulBecomesTheReplacementCharacterInParametersAndCopyAlike() throws {
        let db = try TestDatabase.create(label: "nul")
        defer { try? db.drop() }
        let conn = try db.connect()
        #expect(try conn.query("SELECT $1::text", ["a\u{0}b\u{0}"]).string(0, 0) == "a\u{FFFD}b\u{FFFD}")
        try conn.execute("CREATE TABLE t (v text)")
        _ = try conn.copyIn(sql: "COPY t (v) FROM STDIN") { w in w.field("a\u{0}b\u{0}"); try w.endRow() }
        #expect(try conn.query("SELECT v FROM t").string(0, 0) == "a\u{FFFD}b\u{FFFD}")
        #expect(try conn.query("SELECT count(*) FROM t WHERE v = $1", ["a\u{0}b\u{0}"]).int(0, 0) == 1)
    }

    @Test func typedAccessors() throws {
        let db = try TestDatabase.create(label: "typed")
        defer { try? db.drop() }
        let conn = try db.connect()
        let rows = try conn.query("SELECT $1::bigint AS big, $2::bool AS yes, $3::float8 AS f, $4::numeric AS n, 'x' AS s",
                                  [Int64.max, true, 0.25, Decimal(string: "12.345")!])
        #expect(try rows.int64(0, "big") == Int64.max)
        #expect(try rows.bool(0, "yes") == true)
        #expect(try rows.double(0, "f") == 0.25)
        #expect(try rows.string(0, "n") == "12.345")
        #expect(throws: PGError.self) { try rows.int64(0, "s") }
        #expect(throws: PGError.self) { try rows.string(0, "missing") }
        #expect(conn.serverVersion >= 150000)
        let affected = try conn.query("SELECT generate_series(1, 3)")
        #expect(affected.count == 3)
    }

    @Test func serverErrorsCarrySQLStateAndClass() throws {
        let db = try TestDatabase.create(label: "errors")
        defer { try? db.drop() }
        let conn = try db.connect()
        try conn.execute("CREATE TABLE u (id int PRIMARY KEY)")
        try conn.query("INSERT INTO u VALUES ($1)", [1])
        do {
            try conn.query("INSERT INTO u VALUES ($1)", [1])
            Issue.record("expected a unique violation")
        } catch let error as PGError {
            #expect(error.sqlState == "23505")
            #expect(error.failureClass == .terminal)
            #expect(error.detail?.contains("already exists") == true)
            #expect(error.description.contains("INSERT INTO u"))
        }
        #expect(try conn.query("SELECT count(*) FROM u").int(0, 0) == 1)
    }

    @Test func connectionErrorsNameTheTargetButNotThePassword() throws {
        for conninfo in [
            "postgresql://alice:s3cretPa55@127.0.0.1:1/analytics",
            "host=127.0.0.1 port=1 user=alice password=s3cretPa55 dbname=analytics",
        ] {
            do {
                _ = try PGConnection(conninfo, connectTimeoutSeconds: 2)
                Issue.record("expected a connection failure")
            } catch let error as PGError {
                let text = error.description
                #expect(!text.contains("s3cret"))
                #expect(!text.contains("Pa55"))
                #expect(text.contains("analytics"))
                #expect(text.contains("alice"))
                #expect(text.contains("127.0.0.1"))
                #expect(error.kind == .connection)
                #expect(error.failureClass == .transient)
            }
        }
    }

    @Test func unknownDatabaseIsAConfigError() throws {
        let admin = try PGConnection(try #require(ProcessInfo.processInfo.environment["DATABASE_URL"]))
        let url = PGConninfo.uri(from: try admin.effectiveOptions().merging(["dbname": "no_such_db_here"]) { $1 })
        do {
            _ = try PGConnection(url)
            Issue.record("expected a failure")
        } catch let error as PGError {
            #expect(error.failureClass == .config)
            #expect(error.description.contains("no_such_db_here"))
        }
    }

    @Test func transactionsCommitAndRollBack() throws {
        let db = try TestDatabase.create(label: "tx")
        defer { try? db.drop() }
        let conn = try db.connect()
        try conn.execute("CREATE TABLE t (id int PRIMARY KEY)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try conn.transaction { conn in
                try conn.query("INSERT INTO t VALUES ($1)", [1])
                throw Boom()
            }
        }
        #expect(try conn.query("SELECT count(*) FROM t").int(0, 0) == 0)
        #expect(conn.transactionState == .idle)

        try conn.transaction { conn in
            try conn.query("INSERT INTO t VALUES ($1)", [1])
            try? conn.transaction { conn in
                try conn.query("INSERT INTO t VALUES ($1)", [2])
                throw Boom()
            }
            try conn.transaction { conn in try conn.query("INSERT INTO t VALUES ($1)", [3]) }
        }
        let ids = try conn.query("SELECT id FROM t ORDER BY id").map { try $0.int("id") }
        #expect(ids == [1, 3])

        // A swallowed statement error must not turn into a silent rollback at COMMIT.
        #expect(throws: PGError.self) {
            try conn.transaction { conn in
                try conn.query("INSERT INTO t VALUES ($1)", [4])
                _ = try? conn.query("INSERT INTO t VALUES ($1)", [1])
            }
        }
        #expect(try conn.query("SELECT count(*) FROM t").int(0, 0) == 2)
        #expect(conn.transactionState == .idle)
    }

    @Test func advisoryLocksExcludeOtherSessions() throws {
        let db = try TestDatabase.create(label: "locks")
        defer { try? db.drop() }
        let first = try db.connect()
        let second = try db.connect()
        let key = PGAdvisoryKey(name: "mmetl.test:lock")
        try first.advisoryLock(key)
        #expect(try second.tryAdvisoryLock(key) == false)
        #expect(try first.advisoryUnlock(key))
        #expect(try second.tryAdvisoryLock(key))
        #expect(try second.advisoryUnlock(key))

        try first.transaction { conn in
            try conn.advisoryTransactionLock(key)
            #expect(try second.tryAdvisoryTransactionLock(key) == false)
        }
        #expect(try second.tryAdvisoryLock(key))
    }

    @Test func closedConnectionsThrow() throws {
        let db = try TestDatabase.create(label: "closed")
        defer { try? db.drop() }
        let conn = try db.connect()
        conn.close()
        #expect(!conn.isConnected)
        #expect(throws: PGError.self) { try conn.query("SELECT 1") }
    }
}
