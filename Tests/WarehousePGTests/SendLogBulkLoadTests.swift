import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// A large first load sets the send-log tables' indexes aside and rebuilds them before its commit
/// (`SendLogBulkLoad`); the rows it stores are those of the usual way, and so are the indexes
/// after it. Tests lower the size from which a load goes that way to one message.
@Suite("Send log bulk load (PostgreSQL)", .serialized)
struct SendLogBulkLoadTests {
    /// The hand dataset, plus: a status whose WABA is unknown (held in `etl.sendlog_pending`) and a
    /// line that is not JSON. `repeats`: also a webhook delivered twice and a second, later send
    /// record of m1 (the first one wins), so the load has to pick one record per key.
    static func file(repeats: Bool) -> [String] {
        var lines = TransformSendLogTests.dataset(webhooks: repeats)
        lines.append(#"{"kind":"status","wamid":"u1","status":"sent","timestamp":"2026-11-24T12:00:00Z","phone_number_id":"p9"}"#)
        lines.append("not json")
        if repeats {
            lines.append(lines[2])
            lines.append(Lines.send("m1", at: "2026-11-24T12:30:00Z", template: "t9"))
        }
        return lines
    }

    static let snapshotSQL = [
        "SELECT (to_jsonb(m) - 'loaded_at' - 'updated_at')::text FROM sendlog.messages m ORDER BY waba_id, wamid",
        "SELECT (to_jsonb(s) - 'loaded_at')::text FROM sendlog.statuses s ORDER BY waba_id, wamid, status, status_at",
        "SELECT kind, wamid, status, source_line::text FROM etl.sendlog_pending ORDER BY source_line",
        "SELECT line::text, reason FROM etl.sendlog_rejects ORDER BY line",
        TransformSendLogTests.factsSQL, TransformSendLogTests.errorsSQL,
    ]

    /// Every index of both tables: name, definition, comment, and its constraint's definition.
    static let indexesSQL = """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class'),
               pg_get_constraintdef(c.oid), obj_description(c.oid, 'pg_constraint')
        FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
        WHERE i.indrelid IN ('sendlog.messages'::regclass, 'sendlog.statuses'::regclass) ORDER BY 1
        """
    static let indexOIDsSQL = """
        SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index
        WHERE indrelid IN ('sendlog.messages'::regclass, 'sendlog.statuses'::regclass)
        """

    /// Comments on an index and on a constraint's index, which a rebuild must keep.
    static func comment(_ t: SendLogTestDB) throws {
        try t.conn.execute("COMMENT ON INDEX sendlog.messages_occurred_at_idx IS 'by day'")
        try t.conn.execute("COMMENT ON CONSTRAINT statuses_pkey ON sendlog.statuses IS 'one row per status'")
    }

    static func loadAndTransform(_ t: SendLogTestDB, _ lines: [String]) throws -> (SendLogFileOutcome, [[[String?]]]) {
        let out = try t.load(lines)
        try t.transform("2026-11-20", "2026-11-26")
        return (out, try snapshotSQL.map { try t.rows($0) })
    }

    @Test(arguments: [false, true])
    func aLargeFirstLoadRebuildsTheIndexesAndStoresTheSameRows(repeats: Bool) throws {
        let bulk = try SendLogTestDB.make("sendlog_bulk", bulkLoadMinimumMessages: 1)
        defer { bulk.close() }
        let usual = try SendLogTestDB.make("sendlog_usual")
        defer { usual.close() }
        try Self.comment(bulk)
        try Self.comment(usual)
        let indexesBefore = try bulk.rows(Self.indexesSQL)
        let oidsBefore = try bulk.scalar(Self.indexOIDsSQL), usualOIDs = try usual.scalar(Self.indexOIDsSQL)

        let (b, bulkRows) = try Self.loadAndTransform(bulk, Self.file(repeats: repeats))
        let (u, usualRows) = try Self.loadAndTransform(usual, Self.file(repeats: repeats))

        #expect(b.newMessages == 4 && b.newStatuses == u.newStatuses && b.heldRecords == 1 && b.counts == u.counts)
        #expect(bulkRows == usualRows)
        #expect(bulkRows[0].count == 4 && bulkRows[1].count == 7 && bulkRows[2].count == 1 && bulkRows[3].count == 1)
        if repeats { #expect(try bulk.scalar("SELECT template_id FROM sendlog.messages WHERE wamid = 'm1'") == "t1") }
        // The bulk load built every index anew; the usual one kept them.
        #expect(try bulk.scalar(Self.indexOIDsSQL) != oidsBefore)
        #expect(try usual.scalar(Self.indexOIDsSQL) == usualOIDs)
        #expect(try bulk.rows(Self.indexesSQL) == indexesBefore)
        #expect(try usual.rows(Self.indexesSQL) == indexesBefore)
        #expect(indexesBefore.count == 4 && indexesBefore.contains { $0[2] == "by day" } && indexesBefore.contains { $0[4] == "one row per status" })
    }

    /// The bulk way needs both tables to itself: when a reader holds one longer than the lock wait
    /// (1 s), the load goes the usual way, with the same rows.
    @Test func aReaderHoldingTheTablesSendsTheLoadTheUsualWay() throws {
        let t = try SendLogTestDB.make("sendlog_bulk_reader", bulkLoadMinimumMessages: 1)
        defer { t.close() }
        let reader = try t.db.connect()
        defer { reader.close() }
        let oids = try t.scalar(Self.indexOIDsSQL)
        try reader.execute("BEGIN")
        try reader.query("SELECT count(*) FROM sendlog.statuses")
        let out = try t.load(Self.file(repeats: false))
        try reader.execute("COMMIT")
        #expect(out.newMessages == 4 && out.newStatuses == 7)
        #expect(try t.scalar(Self.indexOIDsSQL) == oids)
        #expect(try t.scalar("SELECT current_setting('lock_timeout')") == "0")
    }

    /// Only an owner may drop and create indexes: a load by a role granted `mmetl_loader` (as the
    /// README sets up logins) goes the usual way, and loads.
    @Test func aLoaderThatDoesNotOwnTheTablesLoadsTheUsualWay() throws {
        let t = try SendLogTestDB.make("sendlog_bulk_role", bulkLoadMinimumMessages: 1)
        defer { t.close() }
        let oids = try t.scalar(Self.indexOIDsSQL)
        try t.conn.execute("SET ROLE mmetl_loader")
        let out = try t.load(Self.file(repeats: false))
        try t.conn.execute("RESET ROLE")
        #expect(out.newMessages == 4 && out.newStatuses == 7)
        #expect(try t.scalar(Self.indexOIDsSQL) == oids)
    }

    /// A file that would not at least double the stored messages, or that names a stored one,
    /// keeps the indexes.
    @Test func aLoadSmallerThanTheWarehouseKeepsTheIndexes() throws {
        let t = try SendLogTestDB.make("sendlog_bulk_small", bulkLoadMinimumMessages: 1)
        defer { t.close() }
        try t.load(Self.file(repeats: false))  // 4 messages, bulk
        let oids = try t.scalar(Self.indexOIDsSQL)
        let three = (1...3).map { Lines.send("n\($0)", at: "2026-11-25T10:00:00Z") }
        try t.load(three, path: "three.ndjson")  // 3 new of 4 stored
        #expect(try t.scalar(Self.indexOIDsSQL) == oids)
        let stored = (1...9).map { Lines.send("o\($0)", at: "2026-11-25T11:00:00Z") } + [Lines.flat("m1", "deleted", epoch: noon24 + 90)]
        try t.load(stored, path: "stored.ndjson")  // 9 new of 7, but m1 is stored
        #expect(try t.scalar(Self.indexOIDsSQL) == oids)
        #expect(try t.scalar("SELECT count(*) FROM sendlog.messages") == "16")
    }
}
