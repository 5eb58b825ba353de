import Foundation
import MMTestSupport
import Testing
import WarehousePG

@Suite(.serialized) struct PGCopyTests {
    /// Values chosen to break naive encoders.
    static let specials: [String?] = [
        "plain", "tab\there", "new\nline", "carriage\rreturn", "crlf\r\n", #"back\slash"#, #"\N"#, #"\\N"#,
        nil, "", "'single'", "\"double\"", "emoji 😀👍🏽🇩🇪", "ünïcødé ✓", "\\", "\t", "\n", "\\.", ".", "end\\",
        "a\tb\nc\\d\re", String(repeating: "long·", count: 300),
    ]

    static func value(_ id: Int, _ column: Int) -> String? {
        specials[(id &* 7 &+ column &* 3) % specials.count].map { "\($0)#\(id)" }
    }

    @Test func roundTrips100kRowsExactly() throws {
        let db = try TestDatabase.create(label: "copy")
        defer { try? db.drop() }
        let conn = try db.connect()
        try conn.execute("CREATE TABLE t (id bigint PRIMARY KEY, a text, b text, n bigint, f float8, flag bool)")
        let rowCount = 100_000
        let clock = ContinuousClock()
        let start = clock.now
        var bytes = 0
        let copied = try conn.copyIn(sql: "COPY t (id, a, b, n, f, flag) FROM STDIN") { writer in
            for id in 0..<rowCount {
                writer.field(id)
                writer.field(Self.value(id, 0))
                writer.field(id % 11 == 0 ? nil : Self.value(id, 1))
                writer.field(id % 5 == 0 ? nil : Int64(id) * -1_000_003)
                writer.field(Double(id) / 8)
                writer.field(id % 3 == 0 ? nil : id % 2 == 0)
                try writer.endRow()
            }
            bytes = writer.bytesSent
        }
        let elapsed = clock.now - start
        #expect(copied == rowCount)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("COPY \(rowCount) rows, \(bytes) bytes in \(String(format: "%.3f", seconds)) s = \(Int(Double(rowCount) / seconds)) rows/s")

        let rows = try conn.query("SELECT id, a, b, n, f, flag FROM t ORDER BY id")
        #expect(rows.count == rowCount)
        var mismatches = 0
        for id in 0..<rowCount {
            let ok = try rows.int(id, 0) == id
                && rows.string(id, 1) == Self.value(id, 0)
                && rows.string(id, 2) == (id % 11 == 0 ? nil : Self.value(id, 1))
                && rows.int64(id, 3) == (id % 5 == 0 ? nil : Int64(id) * -1_000_003)
                && rows.double(id, 4) == Double(id) / 8
                && rows.bool(id, 5) == (id % 3 == 0 ? nil : id % 2 == 0)
            if !ok {
                mismatches += 1
                if mismatches <= 3 { Issue.record("row \(id) differs: \(try rows.string(id, 1) ?? "NULL")") }
            }
        }
        #expect(mismatches == 0)
        // Empty string and NULL stay distinct; `\N` as text stays text.
        #expect(try conn.query("SELECT count(*) FROM t WHERE a IS NULL").int(0, 0)! > 0)
        #expect(try conn.query("SELECT count(*) FROM t WHERE a LIKE $1", [#"\\N#%"#]).int(0, 0)! > 0)
    }

    @Test func aThrowingProducerLeavesNothingAndTheConnectionUsable() throws {
        let db = try TestDatabase.create(label: "copyabort")
        defer { try? db.drop() }
        let conn = try db.connect()
        try conn.execute("CREATE TABLE t (id bigint, a text)")
        struct ProducerFailed: Error {}
        #expect(throws: ProducerFailed.self) {
            try conn.copyIn(sql: "COPY t (id, a) FROM STDIN", chunkSize: 4096) { writer in
                for id in 0..<50_000 {
                    writer.field(id)
                    writer.field("row \(id)")
                    try writer.endRow()
                    if id == 30_000 { throw ProducerFailed() }
                }
            }
        }
        #expect(conn.transactionState == .idle)
        #expect(try conn.query("SELECT count(*) FROM t").int(0, 0) == 0)

        // Inside a transaction the rollback takes earlier work with it.
        #expect(throws: ProducerFailed.self) {
            try conn.transaction { conn in
                try conn.query("INSERT INTO t VALUES ($1, $2)", [1, "before"])
                try conn.copyIn(sql: "COPY t (id, a) FROM STDIN") { writer in
                    writer.field(2)
                    writer.field("x")
                    try writer.endRow()
                    throw ProducerFailed()
                }
            }
        }
        #expect(try conn.query("SELECT count(*) FROM t").int(0, 0) == 0)

        // The connection still copies.
        let copied = try conn.copyIn(sql: "COPY t (id, a) FROM STDIN") { writer in
            for id in 0..<10 {
                writer.field(id)
                writer.field(nil as String?)
                try writer.endRow()
            }
        }
        #expect(copied == 10)
    }

    @Test func rejectedDataIsACopyErrorWithSQLState() throws {
        let db = try TestDatabase.create(label: "copybad")
        defer { try? db.drop() }
        let conn = try db.connect()
        try conn.execute("CREATE TABLE t (id bigint)")
        do {
            try conn.copyIn(sql: "COPY t (id) FROM STDIN") { writer in
                writer.field("1")
                try writer.endRow()
                writer.field("not a number")
                try writer.endRow()
            }
            Issue.record("expected a failure")
        } catch let error as PGError {
            #expect(error.kind == .copy)
            #expect(error.sqlState == "22P02")
        }
        #expect(try conn.query("SELECT count(*) FROM t").int(0, 0) == 0)
        #expect(throws: PGError.self) { try conn.copyIn(sql: "SELECT 1") { _ in } }
        #expect(try conn.query("SELECT 1").int(0, 0) == 1)
    }
}
