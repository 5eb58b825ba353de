import Foundation
import Logging
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

// MARK: - helpers shared by the Transform*/Queries* tests

/// Deterministic stand-in for the HMAC (the real one lives in MMRuntime): no digits in its output.
struct LetterHasher: RecipientHasher {
    func hash(digits: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in digits.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return "h" + String(decoding: String(h, radix: 16).utf8.map { $0 < 58 ? $0 + 55 : $0 }, as: UTF8.self)
    }
}

final class LinesSource: SendLogLineSource {
    let lines: [String]
    init(_ lines: [String]) { self.lines = lines }
    func forEachLine(maxLineBytes: Int, _ body: (ArraySlice<UInt8>, Int) throws -> Void) throws {
        for l in lines { try body(Array(l.utf8)[...], l.utf8.count) }
    }
}

/// A migrated throwaway database and a send-log store on it.
struct SendLogTestDB {
    let db: TestDatabase
    let conn: PGConnection
    let store: SendLogPGStore

    /// `bulkLoadMinimumMessages`: new messages from which a load sets the indexes aside (nil: the
    /// product's default, so small test files never do).
    /// `foldBudgetBytes`: bytes past which the per-message fold goes to the stage (0: at once, so
    /// every load takes the stage's way; nil: the product's default).
    static func make(_ label: String, settings: [String: String] = [:], bulkLoadMinimumMessages: Int? = nil,
                     foldBudgetBytes: Int? = nil) throws -> SendLogTestDB {
        let db = try TestDatabase.create(label: label)
        try db.migrate()
        let conn = try db.connect()
        let store = SendLogPGStore(connection: conn, transformsDirectory: TestDatabase.repositoryRoot.appendingPathComponent("sql/transforms"),
                                   settings: settings, logger: Logger(label: "test"), bulkLoadMinimumMessages: bulkLoadMinimumMessages,
                                   foldBudgetBytes: foldBudgetBytes)
        return SendLogTestDB(db: db, conn: conn, store: store)
    }

    func close() { conn.close(); try? db.drop() }

    /// Loads lines as one file; its "sha256" is derived from the content and `salt`.
    @discardableResult
    func load(_ lines: [String], path: String = "test.ndjson", salt: String = "") throws -> SendLogFileOutcome {
        let sha = LetterHasher().hash(digits: salt + lines.joined(separator: "\n")) + "-\(lines.count)"
        return try store.load(SendLogFile(sha256: sha, path: path, runID: nil)) { sink in
            try SendLogParser.parseFile(LinesSource(lines), format: SendLogFileFormat.of(path: path), hasher: LetterHasher(), into: sink)
        }
    }

    func transform(_ from: String, _ to: String) throws {
        _ = try store.runTransforms(from: Day(from)!, to: Day(to)!)
    }

    /// Every row of a query as text, for comparisons.
    func rows(_ sql: String) throws -> [[String?]] {
        let r = try conn.query(sql)
        return try (0..<r.count).map { i in try (0..<r.columns.count).map { try r.string(i, $0) } }
    }

    func scalar(_ sql: String) throws -> String? { try rows(sql).first?.first ?? nil }
}

/// A compact send-log generator: `send`, and statuses as raw webhook bodies or flattened records.
enum Lines {
    static func send(_ wamid: String, at: String, waba: String = "w1", phone: String = "p1", template: String? = "t1",
                     recipient: String = "+5511987650001", endpoint: String = "marketing_messages") -> String {
        let t = template.map { ",\"template_id\":\"\($0)\"" } ?? ""
        return #"{"kind":"send","wamid":"\#(wamid)","sent_at":"\#(at)","waba_id":"\#(waba)","phone_number_id":"\#(phone)"\#(t),"template_name":"promo","language":"pt_BR","recipient":"\#(recipient)","endpoint":"\#(endpoint)","product_policy":"CLOUD_API_FALLBACK","message_activity_sharing":true,"campaign":"bf"}"#
    }

    static func statusFields(_ recipient: String, category: String?, error: Int?) -> (pricing: String, errors: String) {
        let pricing = category.map { #","pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"\#($0)"}"# } ?? ""
        let errors = error.map { #","errors":[{"code":\#($0),"title":"Failed for +\#(recipient)","message":"m","error_data":{"details":"recipient \#(recipient)"}}]"# } ?? ""
        return (pricing, errors)
    }

    static func webhook(_ wamid: String, _ status: String, epoch: Int, waba: String = "w1", phone: String = "p1",
                        recipient: String = "5511987650001", category: String? = nil, error: Int? = nil) -> String {
        let f = statusFields(recipient, category: category, error: error)
        return #"{"object":"whatsapp_business_account","entry":[{"id":"\#(waba)","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"\#(phone)"},"statuses":[{"id":"\#(wamid)","status":"\#(status)","timestamp":"\#(epoch)","recipient_id":"\#(recipient)"\#(f.pricing)\#(f.errors)}]},"field":"messages"}]}]}"#
    }

    static func flat(_ wamid: String, _ status: String, epoch: Int, waba: String = "w1", phone: String = "p1",
                     recipient: String = "5511987650001", category: String? = nil, error: Int? = nil) -> String {
        let f = statusFields(recipient, category: category, error: error)
        let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        return #"{"kind":"status","wamid":"\#(wamid)","status":"\#(status)","timestamp":"\#(iso)","waba_id":"\#(waba)","phone_number_id":"\#(phone)","recipient_id":"+\#(recipient)"\#(f.pricing)\#(f.errors)}"#
    }
}

/// 2026-11-24T12:00:00Z.
let noon24: Int = 1_795_521_600

// MARK: - tests

@Suite("Send log store and transforms (PostgreSQL)", .serialized)
struct TransformSendLogTests {
    /// Messages m1 (MM API, read), m2 (Cloud fallback, failed 131049), m3 (failed, unknown code),
    /// m4 (statuses only: no send record), in either status form.
    static func dataset(webhooks: Bool) -> [String] {
        let st: (String, String, Int, String, String?, Int?) -> String = webhooks
            ? { Lines.webhook($0, $1, epoch: $2, recipient: $3, category: $4, error: $5) }
            : { Lines.flat($0, $1, epoch: $2, recipient: $3, category: $4, error: $5) }
        return [
            Lines.send("m1", at: "2026-11-24T12:00:00Z"),
            st("m1", "sent", noon24 + 1, "5511987650001", "marketing_lite", nil),
            st("m1", "delivered", noon24 + 5, "5511987650001", "marketing_lite", nil),
            st("m1", "read", noon24 + 60, "5511987650001", nil, nil),
            Lines.send("m2", at: "2026-11-24T12:00:00Z", recipient: "+12125550100"),
            st("m2", "sent", noon24 + 2, "12125550100", "marketing", nil),
            st("m2", "failed", noon24 + 9, "12125550100", nil, 131049),
            Lines.send("m3", at: "2026-11-24T02:00:00Z", template: "t2", endpoint: "messages"),
            st("m3", "failed", noon24 - 36_000, "5511987650001", nil, 139999),
            st("m4", "delivered", noon24 + 100, "4915112345678", "marketing_lite", nil),
        ]
    }

    static let factsSQL = """
        SELECT waba_id, phone_number_id, template_id, day::text, endpoint, route, product, sent, delivered, read, failed
        FROM mm.fact_sends_daily ORDER BY 1, 2, 3, 4, 5, 6
        """
    static let errorsSQL = """
        SELECT waba_id, template_id, route, day::text, error_code, recipient_country, failures
        FROM mm.fact_errors ORDER BY 1, 2, 3, 4, 5, 6
        """

    @Test func factsFromHandData() throws {
        let t = try SendLogTestDB.make("sendlog_facts")
        defer { t.close() }
        // São Paulo is UTC-3: m3 sent at 02:00Z belongs to the 23rd.
        try t.conn.execute("INSERT INTO mm.dim_waba (waba_id, timezone, country, industry) VALUES ('w1', 'America/Sao_Paulo', 'BR', 'retail')")
        let out = try t.load(Self.dataset(webhooks: true))
        #expect(out.counts.rejectedLines == 0)
        #expect(out.newMessages == 4)
        #expect(out.newStatuses == 7)
        try t.transform("2026-11-20", "2026-11-26")
        let facts = try t.rows(Self.factsSQL)
        #expect(facts == [
            ["w1", "p1", "t1", "2026-11-24", "marketing_messages", "cloud_api", "cloud_api", "1", "0", "0", "1"],
            ["w1", "p1", "t1", "2026-11-24", "marketing_messages", "mm_api", "mm_api", "1", "1", "1", "0"],
            ["w1", "p1", "t2", "2026-11-23", "messages", "unknown", "cloud_api", "1", "0", "0", "1"],
            ["w1", "p1", nil, "2026-11-24", nil, "mm_api", "mm_api", "1", "1", "0", "0"],
        ])
        #expect(try t.rows(Self.errorsSQL) == [
            ["w1", "t1", "cloud_api", "2026-11-24", "131049", "US", "1"],
            ["w1", "t2", "unknown", "2026-11-23", "139999", "BR", "1"],
        ])
        #expect(try t.rows("SELECT is_known::text, category, title FROM mm.dim_error_code WHERE code = 139999")
                == [["false", "delivery", "Failed for <phone>"]])
        #expect(try t.scalar("SELECT is_known::text FROM mm.dim_error_code WHERE code = 131049") == "true")
        #expect(try t.scalar("SELECT recipient_country FROM sendlog.messages WHERE wamid = 'm4'") == "DE")
        #expect(try t.scalar("SELECT count(*) FROM etl.sendlog_files") == "1")
    }

    @Test func webhookBodiesAndFlattenedRowsGiveTheSameFacts() throws {
        let t = try SendLogTestDB.make("sendlog_forms")
        defer { t.close() }
        var results: [[[String?]]] = []
        for webhooks in [true, false] {
            try t.conn.execute("TRUNCATE sendlog.messages, sendlog.statuses, mm.fact_sends_daily, mm.fact_errors, etl.sendlog_files")
            try t.load(Self.dataset(webhooks: webhooks))
            try t.transform("2026-11-20", "2026-11-26")
            results.append(try t.rows(Self.factsSQL) + t.rows(Self.errorsSQL)
                           + t.rows("SELECT wamid, route, recipient_hash, recipient_country, first_status_at::text, read_at::text FROM sendlog.messages ORDER BY 1")
                           + t.rows("SELECT wamid, status, status_at::text, waba_id, phone_number_id, pricing_category, route, error_codes::text, errors::text FROM sendlog.statuses ORDER BY 1, 2"))
        }
        #expect(results[0] == results[1])
        #expect(results[0].count > 10)
    }

    @Test func loadingTwiceOrOverlappingChangesNothing() throws {
        let t = try SendLogTestDB.make("sendlog_idem")
        defer { t.close() }
        let lines = Self.dataset(webhooks: true)
        let snapshot = {
            try t.rows("SELECT * FROM sendlog.messages ORDER BY wamid") + t.rows("SELECT * FROM sendlog.statuses ORDER BY 1, 2, 3")
                + t.rows(Self.factsSQL) + t.rows(Self.errorsSQL)
        }
        try t.load(lines)
        try t.transform("2026-11-20", "2026-11-26")
        let before = try snapshot()
        let again = try t.load(lines)
        #expect(again.skipped)
        // An overlapping file (other bytes, same records, reordered, with duplicates).
        let overlap = try t.load(lines.reversed() + lines.prefix(3), salt: "other")
        #expect(!overlap.skipped)
        #expect(overlap.newMessages == 0 && overlap.newStatuses == 0 && overlap.changedMessages == 0)
        try t.transform("2026-11-20", "2026-11-26")
        #expect(try snapshot() == before)
        #expect(try t.scalar("SELECT count(*) FROM etl.sendlog_files") == "2")
    }

    @Test func sendRecordArrivingAfterItsStatuses() throws {
        let t = try SendLogTestDB.make("sendlog_late")
        defer { t.close() }
        let all = Self.dataset(webhooks: false)
        let sends = all.filter { $0.contains("\"kind\":\"send\"") }
        let statuses = all.filter { !$0.contains("\"kind\":\"send\"") }
        try t.load(statuses, path: "statuses.ndjson")
        #expect(try t.scalar("SELECT count(*) FROM sendlog.messages WHERE sent_at IS NULL") == "4")
        try t.load(sends, path: "sends.ndjson")
        try t.transform("2026-11-20", "2026-11-26")
        let late = try t.rows(Self.factsSQL) + t.rows(Self.errorsSQL)

        let u = try SendLogTestDB.make("sendlog_inorder")
        defer { u.close() }
        try u.load(all)
        try u.transform("2026-11-20", "2026-11-26")
        let inOrder = try u.rows(Self.factsSQL) + u.rows(Self.errorsSQL)
        #expect(late == inOrder)
        #expect(try t.scalar("SELECT template_id FROM sendlog.messages WHERE wamid = 'm3'") == "t2")
    }

    /// A load that grows `sendlog.messages` by more than a tenth refreshes the planner's statistics
    /// of both send-log tables (the transforms that follow plan with their real size); a file that
    /// adds less leaves them as they are (autovacuum's business).
    @Test func aLoadThatGrowsTheMessagesByATenthRefreshesTheirStatistics() throws {
        let t = try SendLogTestDB.make("sendlog_stats")
        defer { t.close() }
        let analyzed = """
            SELECT string_agg(relname || ' ' || last_analyze::text, ', ' ORDER BY relname) FROM pg_stat_user_tables
            WHERE schemaname = 'sendlog' AND relname IN ('messages', 'statuses') AND last_analyze IS NOT NULL
            """
        #expect(try t.scalar(analyzed) == nil)
        try t.load((0..<40).flatMap { [Lines.send("s\($0)", at: "2026-11-24T12:00:00Z"), Lines.flat("s\($0)", "sent", epoch: noon24 + $0)] })
        let first = try t.scalar(analyzed)
        #expect(first?.contains("messages") == true && first?.contains("statuses") == true, "\(first ?? "none")")
        #expect(try t.scalar("SELECT reltuples::int FROM pg_class WHERE oid = 'sendlog.messages'::regclass") == "40")

        try t.load([Lines.send("late", at: "2026-11-24T13:00:00Z")], path: "one.ndjson")  // 1 new of 41
        #expect(try t.scalar(analyzed) == first)
        try t.load((0..<5).map { Lines.send("more\($0)", at: "2026-11-24T14:00:00Z") }, path: "five.ndjson")  // 5 of 46
        #expect(try t.scalar(analyzed) != first)
    }

    /// Only a table's owner may ANALYZE it: a load by a login granted only `mmetl_loader` refreshes
    /// the statistics all the same (through `etl.analyze_sendlog()`, which runs as the owner).
    @Test func aLoaderThatDoesNotOwnTheTablesRefreshesTheirStatisticsToo() throws {
        let t = try SendLogTestDB.make("sendlog_stats_role")
        defer { t.close() }
        try t.conn.execute("SET ROLE mmetl_loader")
        try t.load((0..<40).flatMap { [Lines.send("s\($0)", at: "2026-11-24T12:00:00Z"), Lines.flat("s\($0)", "sent", epoch: noon24 + $0)] })
        try t.conn.execute("RESET ROLE")
        #expect(try t.scalar("SELECT reltuples::int FROM pg_class WHERE oid = 'sendlog.messages'::regclass") == "40")
        #expect(try t.scalar("SELECT reltuples::int FROM pg_class WHERE oid = 'sendlog.statuses'::regclass") == "40")
        // The function runs as its owner: nobody but the loader may call it.
        #expect(try t.scalar("SELECT has_function_privilege('mmetl_analyst', 'etl.analyze_sendlog()', 'EXECUTE')") == "f")
        #expect(try t.scalar("SELECT has_function_privilege('mmetl_loader', 'etl.analyze_sendlog()', 'EXECUTE')") == "t")
    }

    @Test func rejectsAreRecordedWithoutPhoneNumbers() throws {
        let t = try SendLogTestDB.make("sendlog_rejects")
        defer { t.close() }
        let out = try t.load([
            Lines.send("ok", at: "2026-11-24T12:00:00Z"),
            #"{"kind":"send","wamid":"x","sent_at":"never","recipient":"+4915112345678"}"#,
            #"{"kind":"send","wamid":"y","recipient":"+4915112345678""#,
            "", "garbage +49 151 1234 5678",
        ])
        #expect(out.counts.rejectedLines == 3 && out.counts.lines == 5 && out.counts.sends == 1)
        #expect(try t.rows("SELECT line::text, split_part(reason, ':', 1) FROM etl.sendlog_rejects ORDER BY line")
                == [["2", "bad_timestamp"], ["3", "invalid_json"], ["5", "invalid_json"]])
        #expect(try t.scalar("SELECT count(*) FROM etl.sendlog_rejects WHERE raw ~ '[0-9]{7}'") == "0")
        #expect(try t.rows("SELECT lines::text, loaded::text, rejected::text FROM etl.sendlog_files") == [["5", "1", "3"]])
    }

    @Test func coreCallingCodesMatchTheWarehouseTable() throws {
        let t = try SendLogTestDB.make("sendlog_cc")
        defer { t.close() }
        let db = try t.rows("SELECT prefix, country_code FROM mm.dim_calling_code ORDER BY length(prefix), prefix")
        let core = CallingCodes.table.map { [$0.prefix, $0.country] as [String?] }
        #expect(db == core)
    }
}
