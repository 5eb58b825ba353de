import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// The send-log tables are keyed by WABA: a message's WABA is resolved when its lines are staged
/// (stored message, else its lines, else its phone number), and a message none of these resolves
/// is held whole in `etl.sendlog_pending` until a later load resolves it — never dropped, never
/// half written.
@Suite("Send log keyed by WABA (PostgreSQL)", .serialized)
struct SendLogWABAKeyTests {
    /// A flattened status record with neither WABA nor phone number.
    static func bare(_ wamid: String, _ status: String, epoch: Int, phone: String? = nil) -> String {
        let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        let p = phone.map { ",\"phone_number_id\":\"\($0)\"" } ?? ""
        return #"{"kind":"status","wamid":"\#(wamid)","status":"\#(status)","timestamp":"\#(iso)"\#(p),"recipient_id":"+5511987650001"}"#
    }

    static let everything = """
        SELECT 'm', waba_id, wamid, sent_at::text, first_status_at::text, last_status, route, recipient_hash FROM sendlog.messages
        UNION ALL SELECT 's', waba_id, wamid, status, status_at::text, route, NULL, NULL FROM sendlog.statuses
        ORDER BY 1, 2, 3, 4, 5
        """

    @Test func unresolvedMessagesAreHeldWholeAndLoadWhenTheirSendArrives() throws {
        let t = try SendLogTestDB.make("sendlog_pending")
        defer { t.close() }
        let statuses = [Self.bare("q1", "sent", epoch: noon24 + 1), Self.bare("q1", "delivered", epoch: noon24 + 5),
                        Self.bare("q2", "failed", epoch: noon24 + 9)]
        let first = try t.load(statuses, path: "statuses.ndjson")
        #expect(first.heldMessages == 2 && first.heldRecords == 3 && first.newMessages == 0 && first.newStatuses == 0)
        #expect(first.affectedDays == nil)
        #expect(try t.scalar("SELECT count(*) FROM sendlog.messages") == "0")
        #expect(try t.scalar("SELECT count(*) FROM sendlog.statuses") == "0")
        #expect(try t.scalar("SELECT count(*) || '/' || count(DISTINCT wamid) FROM etl.sendlog_pending") == "3/2")
        #expect(try t.scalar("SELECT string_agg(source_line::text, ',' ORDER BY source_line) FROM etl.sendlog_pending") == "1,2,3")
        #expect(try t.scalar("SELECT count(*) FROM etl.sendlog_files") == "1")

        // The send record of q1 arrives: q1 loads whole, q2 stays held.
        let second = try t.load([Lines.send("q1", at: "2026-11-24T12:00:00Z", waba: "w7")], path: "sends.ndjson")
        #expect(second.retriedRecords == 3 && second.heldMessages == 1 && second.heldRecords == 1)
        #expect(second.newMessages == 1 && second.newStatuses == 2)
        #expect(try t.scalar("SELECT string_agg(wamid, ',') FROM etl.sendlog_pending") == "q2")
        try t.transform("2026-11-20", "2026-11-26")
        let late = try t.rows(Self.everything) + t.rows(TransformSendLogTests.factsSQL)

        // The same records in one file give the same rows.
        let u = try SendLogTestDB.make("sendlog_pending_one")
        defer { u.close() }
        try u.load([Lines.send("q1", at: "2026-11-24T12:00:00Z", waba: "w7")] + statuses)
        try u.transform("2026-11-20", "2026-11-26")
        #expect(try u.rows(Self.everything) + u.rows(TransformSendLogTests.factsSQL) == late)
        #expect(try t.scalar("SELECT waba_id FROM sendlog.statuses WHERE wamid = 'q1' LIMIT 1") == "w7")
    }

    @Test func aStoredMessageOrAPhoneNumberResolvesTheWABA() throws {
        let t = try SendLogTestDB.make("sendlog_resolve")
        defer { t.close() }
        try t.conn.execute("INSERT INTO mm.dim_phone_number (waba_id, phone_number_id) VALUES ('w9', 'p9')")
        try t.load([Lines.send("r1", at: "2026-11-24T12:00:00Z", waba: "w1")], path: "a.ndjson")
        // r1 is stored under w1: a bare status attaches to it, and a webhook naming another WABA
        // does not move it (a distribution column never changes) nor duplicate it.
        let o = try t.load([Self.bare("r1", "sent", epoch: noon24 + 1),
                            Lines.webhook("r1", "delivered", epoch: noon24 + 4, waba: "w2"),
                            Self.bare("r2", "sent", epoch: noon24 + 2, phone: "p9")], path: "b.ndjson")
        #expect(o.heldMessages == 0 && o.newMessages == 1 && o.changedMessages == 1 && o.newStatuses == 3)
        #expect(try t.rows("SELECT waba_id, wamid, last_status FROM sendlog.messages ORDER BY wamid")
                == [["w1", "r1", "delivered"], ["w9", "r2", "sent"]])
        #expect(try t.scalar("SELECT string_agg(DISTINCT waba_id, ',') FROM sendlog.statuses WHERE wamid = 'r1'") == "w1")
        #expect(o.affectedDays != nil)
    }

    @Test func legacyRowsWithoutAWABAAreResolvedOrHeldByTheMigration() throws {
        let db = try TestDatabase.create(label: "sendlog_keys_migration")
        defer { try? db.drop() }
        // The schema before the new keys (migrations before 0100), then legacy rows in it.
        try db.migrate(before: "0100")
        let conn = try db.connect()
        defer { conn.close() }
        try conn.execute("""
            INSERT INTO mm.dim_phone_number (waba_id, phone_number_id) VALUES ('W2', 'P2');
            INSERT INTO sendlog.messages (wamid, waba_id, phone_number_id, sent_at, first_status_at, last_status_at, source_sha256) VALUES
              ('a', 'W1', 'P1', '2026-05-01 10:00Z', '2026-05-01 10:00:01Z', '2026-05-01 10:00:01Z', 'f1'),
              ('b', NULL, NULL, '2026-05-01 11:00Z', '2026-05-01 11:00:01Z', '2026-05-01 11:00:01Z', 'f1'),
              ('c', NULL, 'P2', '2026-05-02 11:00Z', NULL, NULL, 'f1'),
              ('d', NULL, 'P9', '2026-05-03 11:00Z', '2026-05-03 11:00:01Z', '2026-05-03 11:00:01Z', 'f1');
            INSERT INTO sendlog.statuses (wamid, status, status_at, waba_id, route, source_sha256, source_line) VALUES
              ('a', 'sent', '2026-05-01 10:00:01Z', NULL, 'unknown', 'f1', 2),
              ('b', 'sent', '2026-05-01 11:00:01Z', 'W3', 'unknown', 'f1', 3),
              ('d', 'failed', '2026-05-03 11:00:01Z', NULL, 'unknown', 'f1', 4);
            INSERT INTO mm.fact_sends_daily (waba_id, day, route, sent, delivered, read, failed) VALUES
              ('W1', '2026-05-01', 'unknown', 1, 0, 0, 0), (NULL, '2026-05-01', 'unknown', 1, 0, 0, 0),
              (NULL, '2026-05-02', 'unknown', 1, 0, 0, 0), (NULL, '2026-05-03', 'unknown', 1, 0, 0, 0);
            """)
        try db.migrate()
        let rows = { (sql: String) throws -> [[String?]] in
            let r = try conn.query(sql)
            return try (0..<r.count).map { i in try (0..<r.columns.count).map { try r.string(i, $0) } }
        }
        #expect(try rows("SELECT wamid, waba_id FROM sendlog.messages ORDER BY 1") == [["a", "W1"], ["b", "W3"], ["c", "W2"]])
        #expect(try rows("SELECT wamid, waba_id FROM sendlog.statuses ORDER BY 1") == [["a", "W1"], ["b", "W3"]])
        // d could not be resolved: its send and its status are held, not deleted.
        #expect(try rows("SELECT kind, wamid, status, source_line::text FROM etl.sendlog_pending ORDER BY 1")
                == [["s", "d", nil, "0"], ["t", "d", "failed", "4"]])
        #expect(try rows("SELECT waba_id, day::text, sent::text FROM mm.fact_sends_daily ORDER BY 1, 2")
                == [["W1", "2026-05-01", "1"], ["W2", "2026-05-02", "1"], ["W3", "2026-05-01", "1"]])
    }
}
