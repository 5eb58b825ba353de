import ArchiveGzip
import Crypto
import Foundation
import Logging
import MMCore
import MMRuntime
import MMSimulator
import MMTestSupport
import Testing
import WarehousePG

extension LineReader: SendLogLineSource {}

/// Wires the real pieces of `sendlog load`: LineReader (plain/gzip), HMAC, PostgreSQL store.
struct SendLogHarness {
    let db: TestDatabase
    let dir: String

    static func make(_ label: String) throws -> SendLogHarness {
        let db = try TestDatabase.create(label: label)
        try db.migrate()
        let dir = NSTemporaryDirectory() + "mmetl-sendlog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return SendLogHarness(db: db, dir: dir)
    }

    func close() {
        try? db.drop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func ingest(key: String = "test-key") throws -> SendLogIngest {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let store = try SendLogPGStore(url: db.url, transformsDirectory: TestDatabase.repositoryRoot.appendingPathComponent("sql/transforms"),
                                       logger: logger)
        return try SendLogIngest(store: store, open: { try LineReader.open(path: $0) }, hashKey: Array(key.utf8), logger: logger)
    }

    func write(_ name: String, _ lines: [String], gzip: Bool = false) throws -> String {
        let path = dir + "/" + name
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let out = gzip ? try GzipCompressor.gzip(bytes, level: 1) : bytes
        #expect(FileManager.default.createFile(atPath: path, contents: Data(out)))
        return path
    }

    func scalar(_ sql: String) throws -> String? {
        let c = try db.connect()
        defer { c.close() }
        return try c.query(sql).string(0, 0)
    }
}

@Suite("sendlog load (files → PostgreSQL)", .serialized)
struct SendLogIngestTests {
    /// `n` lines: sends and flattened/webhook statuses of n/3 messages.
    static func lines(_ n: Int, prefix: String = "m") -> [String] {
        (0..<n).map { i in
            let m = i / 3
            let wamid = "wamid.\(prefix)\(m)"
            let recipient = "55119\(String(format: "%08d", m))"
            switch i % 3 {
            case 0:
                return #"{"kind":"send","wamid":"\#(wamid)","sent_at":"2026-11-24T10:00:00Z","waba_id":"w1","phone_number_id":"p1","template_id":"t\#(m % 7)","recipient":"+\#(recipient)","endpoint":"marketing_messages"}"#
            case 1:
                return #"{"object":"whatsapp_business_account","entry":[{"id":"w1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"p1"},"statuses":[{"id":"\#(wamid)","status":"sent","timestamp":"1795514401","recipient_id":"\#(recipient)","pricing":{"category":"marketing_lite","type":"regular"}}]}}]}]}"#
            default:
                return #"{"kind":"status","wamid":"\#(wamid)","status":"delivered","timestamp":1795514460,"recipient_id":"\#(recipient)"}"#
            }
        }
    }

    @Test func hundredThousandLinesWithTenMalformedGzip() async throws {
        let h = try SendLogHarness.make("sendlog_100k")
        defer { h.close() }
        var lines = Self.lines(100_000)
        let bad = [7, 1_000, 12_345, 33_333, 50_000, 66_666, 77_777, 88_888, 99_999, 100_000]
        let breakers = [#"{"kind":"send""#, "not json", #"{"kind":"sms","wamid":"x"}"#, #"{"kind":"send","sent_at":1}"#,
                        #"{"kind":"status","wamid":"x","status":"read","timestamp":"tomorrow"}"#]
        for (k, line) in bad.enumerated() { lines[line - 1] = breakers[k % breakers.count] }
        let path = try h.write("big.ndjson.gz", lines, gzip: true)

        let summary = try await h.ingest().load(paths: [path], runID: nil)
        #expect(summary.failures.isEmpty, "\(summary)")
        #expect(summary.lines == 100_000)
        #expect(summary.rejected == 10)
        #expect(summary.exitCode == 3)
        #expect(try h.scalar("SELECT string_agg(line::text, ',' ORDER BY line) FROM etl.sendlog_rejects") == bad.map(String.init).joined(separator: ","))
        #expect(try h.scalar("SELECT lines || '/' || loaded || '/' || rejected FROM etl.sendlog_files") == "100000/99990/10")
        let messages = try h.scalar("SELECT count(*) FROM sendlog.messages")
        let facts = try h.scalar("SELECT sum(sent) || '/' || sum(delivered) FROM mm.fact_sends_daily")

        // Again: the same bytes are skipped, nothing changes.
        let again = try await h.ingest().load(paths: [path], runID: nil)
        #expect(again.skippedFiles == 1 && again.exitCode == 0)
        #expect(try h.scalar("SELECT count(*) FROM sendlog.messages") == messages)
        #expect(try h.scalar("SELECT sum(sent) || '/' || sum(delivered) FROM mm.fact_sends_daily") == facts)
        #expect(try h.scalar("SELECT count(*) FROM etl.sendlog_rejects") == "10")
    }

    @Test func csvAndPlainFilesAndANotGzipFileNamedGz() async throws {
        let h = try SendLogHarness.make("sendlog_files")
        defer { h.close() }
        let csv = try h.write("log.csv", [
            "kind,wamid,sent_at,waba_id,phone_number_id,template_id,recipient,endpoint,status,timestamp,pricing_category,error_code,error_title",
            "send,c1,2026-11-24T10:00:00Z,w1,p1,t1,+4915112345678,messages,,,,,",
            "status,c1,,w1,p1,,,,failed,1795514460,,131026,\"Message undeliverable, +4915112345678\"",
        ])
        let plain = try h.write("log.jsonl", Array(Self.lines(9, prefix: "p")))
        let fake = try h.write("fake.ndjson.gz", Array(Self.lines(3, prefix: "f")))
        let summary = try await h.ingest().load(paths: [csv, fake, plain], runID: 42)
        #expect(summary.failures.map(\.path) == [fake])
        #expect(summary.failures.first?.message.contains("fake.ndjson.gz") == true)
        #expect(summary.failures.first?.message.contains("not gzip") == true)
        #expect(summary.exitCode == 1)
        #expect(try h.scalar("SELECT count(*) FROM sendlog.messages") == "4")
        #expect(try h.scalar("SELECT error_codes::text || errors::text FROM sendlog.statuses WHERE wamid = 'c1'")
                == #"{131026}[{"code": 131026, "title": "Message undeliverable, <number>", "details": null}]"#)
        #expect(try h.scalar("SELECT count(*) FROM etl.sendlog_files WHERE run_id = 42") == "2")
        #expect(try h.scalar("SELECT sum(failed) FROM mm.fact_sends_daily") == "1")
    }

    @Test func recipientsAreKeyedHashesThatMatchAcrossFormsAndKeys() async throws {
        let h = try SendLogHarness.make("sendlog_hmac")
        defer { h.close() }
        let path = try h.write("a.ndjson", Array(Self.lines(3, prefix: "k")))
        _ = try await h.ingest(key: "k1").load(paths: [path], runID: nil)
        let hash = try h.scalar("SELECT recipient_hash FROM sendlog.messages")
        let expected = try SendLogRecipientHasher(key: Array("k1".utf8)).hash(digits: "5511900000000")
        #expect(hash == expected)
        #expect(hash?.count == 64)
        #expect(try SendLogRecipientHasher(key: Array("k2".utf8)).hash(digits: "5511900000000") != expected)
        #expect(try h.scalar("SELECT recipient_country FROM sendlog.messages") == "BR")
    }

    @Test func theHasherIsHMACSHA256AndKeepsNoStateBetweenCalls() throws {
        // RFC 4231 test case 2.
        let hasher = try SendLogRecipientHasher(key: Array("Jefe".utf8))
        let vector = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        #expect(hasher.hash(digits: "what do ya want for nothing?") == vector)
        let other = hasher.hash(digits: "5511900000000")
        #expect(other != vector && other.count == 64)
        #expect(hasher.hash(digits: "what do ya want for nothing?") == vector)
        #expect(hasher.hash(digits: "5511900000000") == other)
    }

    /// The hasher composes HMAC from two SHA-256 states of its own: it must equal `HMAC<SHA256>`
    /// for keys shorter than, equal to and longer than the block (a longer key is hashed first).
    @Test func theHasherEqualsSwiftCryptosHMACForEveryKeyLength() throws {
        // RFC 4231 test case 6: a 131-byte key.
        let long = try SendLogRecipientHasher(key: [UInt8](repeating: 0xaa, count: 131))
        #expect(long.hash(digits: "Test Using Larger Than Block-Size Key - Hash Key First")
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        for length in [1, 20, 63, 64, 65, 200] {
            let key = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let hasher = try SendLogRecipientHasher(key: key)
            for digits in ["", "5511987650001", String(repeating: "9", count: 100)] {
                let expected = HMAC<SHA256>.authenticationCode(for: Array(digits.utf8), using: SymmetricKey(data: key))
                #expect(hasher.hash(digits: digits) == expected.map { String(format: "%02x", $0) }.joined())
            }
        }
    }

    @Test func theKeyComesFromTheEnvironment() throws {
        #expect(throws: SendLogKeyError.missing(variable: "MMETL_RECIPIENT_HASH_KEY")) {
            try SendLogRecipientHasher.key(environment: [:])
        }
        #expect(SendLogKeyError.missing(variable: "X").failureClass == .config)
        #expect(try SendLogRecipientHasher.key(environment: ["MMETL_RECIPIENT_HASH_KEY": "s"]) == Array("s".utf8))
        #expect(try SendLogRecipientHasher.key(environment: ["MY_KEY": "t", "MMETL_RECIPIENT_HASH_KEY": "s"], keyEnv: "MY_KEY") == Array("t".utf8))
        #expect(throws: SendLogKeyError.missing(variable: "MY_KEY")) {
            try SendLogRecipientHasher.key(environment: ["MMETL_RECIPIENT_HASH_KEY": "s"], keyEnv: "MY_KEY")
        }
        #expect(!String(describing: try SendLogRecipientHasher(key: Array("secret".utf8))).contains("secret"))
    }
}
