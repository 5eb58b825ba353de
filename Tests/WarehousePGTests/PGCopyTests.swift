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

    /// The binary format stores exactly what the text format stores, for every type the binary
    /// writer has: text (escapes, emoji, NUL → U+FFFD, empty vs NULL), bigint, float8, bool,
    /// timestamptz (before 1970, before 2000, fractions), integer[] (empty, NULL elements, negatives)
    /// and jsonb — also through in-memory parts drained into the COPY.
    @Test func binaryRowsReadBackAsTheTextRows() throws {
        let db = try TestDatabase.create(label: "copybin")
        defer { try? db.drop() }
        let conn = try db.connect()
        for table in ["t_text", "t_binary"] {
            try conn.execute("CREATE TABLE \(table) (id bigint, a text, n bigint, f float8, flag bool, at timestamptz, codes integer[], j jsonb)")
        }
        let instants: [Int64?] = [0, 1_795_514_400_123_456, -1, -86_400_000_001, 946_684_800_000_000, 946_684_799_999_999, nil,
                                  -62_135_596_800_000_000]
        let arrays: [[Int32?]?] = [[], [131049], [1, nil, -3], nil, [Int32.max, Int32.min]]
        let texts: [String?] = Self.specials + ["nul\u{0}inside", "\u{0}"]
        let jsons: [String?] = [#"[{"code": 131049, "title": "t\"q", "details": null}]"#, nil, "{}", #"["é😀"]"#]
        func write(_ writer: PGCopyWriter, _ id: Int) throws {
            writer.field(id)
            writer.field(texts[id % texts.count])
            writer.field(id % 4 == 0 ? nil : Int64(id) * -1_000_000_007)
            writer.field(id % 5 == 0 ? nil : Double(id) / 3)
            writer.field(id % 3 == 0 ? nil : id % 2 == 0)
            writer.timestamp(micros: instants[id % instants.count])
            writer.int4Array(arrays[id % arrays.count])
            writer.jsonb(jsons[id % jsons.count])
            try writer.endRow()
        }
        let columns = "(id, a, n, f, flag, at, codes, j)"
        let rows = 500
        try conn.copyIn(sql: "COPY t_text \(columns) FROM STDIN") { w in for id in 0..<rows { try write(w, id) } }
        let copied = try conn.copyIn(sql: "COPY t_binary \(columns) FROM STDIN WITH (FORMAT binary)", format: .binary) { w in
            for id in 0..<(rows / 2) { try write(w, id) }
            let part = PGCopyWriter.inMemory(format: .binary)  // the rest through a part, as parallel parsing does
            for id in (rows / 2)..<rows { try write(part, id) }
            try part.drain(into: w)
        }
        #expect(copied == rows)
        let differing = try conn.query("""
            SELECT count(*) AS n FROM (SELECT * FROM t_text EXCEPT ALL SELECT * FROM t_binary) d
            """).int(0, "n")
        #expect(differing == 0)
        let sample = try conn.query("""
            SELECT a, (at AT TIME ZONE 'UTC')::text, codes::text FROM t_binary WHERE id IN (2, 22, 25, 29) ORDER BY id
            """)
        #expect(try sample.string(0, 2) == "{1,NULL,-3}")
        #expect(try sample.string(1, 0) == "nul\u{FFFD}inside")
        #expect(try sample.string(2, 1) == "2026-11-24 10:00:00.123456")
        #expect(try sample.string(3, 1) == "1999-12-31 23:59:59.999999")
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
