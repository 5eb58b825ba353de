import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// A message's `last_status` is the status with the latest timestamp, ties going to the least
/// status; the load reads it as `min(LatestStatusKey)`. The key is written by the parser for a
/// file's statuses and computed in SQL for held records, so the two must agree to the byte.
@Suite("Send log latest status (PostgreSQL)", .serialized)
struct SendLogLatestStatusTests {
    static let instants: [Int64] = [
        0, 1, -1, 1_795_521_600_000_000, 1_795_521_600_000_001, 1_795_521_599_999_999,
        -2_208_988_800_000_000,  // 1900-01-01
        253_402_300_799_999_999,  // 9999-12-31 23:59:59.999999
    ]

    @Test func theSQLKeyIsTheParsersKeyAndOrdersLatestFirstThenLeastStatus() throws {
        let t = try SendLogTestDB.make("sendlog_latest_key")
        defer { t.close() }
        for micros in Self.instants {
            let at = SendLogTime.postgresText(micros: micros)
            for status in ["read", "delivered", "ÿ-unknown"] {
                let sql = try t.scalar("SELECT \(SendLogMergeSQL.latestStatusKey("'\(at)'::timestamptz", "'\(status)'::text"))")
                #expect(sql == LatestStatusKey.key(micros: micros, status: status), "\(at) \(status)")
            }
        }
        let keys = Self.instants.flatMap { m in ["read", "delivered"].map { (m, $0, LatestStatusKey.key(micros: m, status: $0)) } }
        let least = keys.min { $0.2.utf8.lexicographicallyPrecedes($1.2.utf8) }!
        #expect(least.0 == Self.instants.max()! && least.1 == "delivered")
        #expect(keys.allSatisfy { $0.2.utf8.count == LatestStatusKey.digits + $0.1.utf8.count })
    }

    @Test func statusesAtTheSameInstantGiveTheLeastStatusFromAFileAndFromHeldRecords() throws {
        let statuses = [SendLogWABAKeyTests.bare("k1", "read", epoch: noon24 + 5),
                        SendLogWABAKeyTests.bare("k1", "sent", epoch: noon24 + 1),
                        SendLogWABAKeyTests.bare("k1", "delivered", epoch: noon24 + 5)]
        let send = Lines.send("k1", at: "2026-11-24T12:00:00Z", waba: "w7")
        let lastStatus = "SELECT last_status || ' ' || last_status_at::text FROM sendlog.messages WHERE wamid = 'k1'"

        let one = try SendLogTestDB.make("sendlog_latest_one")
        defer { one.close() }
        try one.load([send] + statuses)
        let expected = try one.scalar(lastStatus)
        #expect(expected?.hasPrefix("delivered ") == true)

        // The statuses first (held: no WABA yet), then the send record: the key comes from SQL.
        let held = try SendLogTestDB.make("sendlog_latest_held")
        defer { held.close() }
        #expect(try held.load(statuses, path: "statuses.ndjson").heldRecords == 3)
        try held.load([send], path: "sends.ndjson")
        #expect(try held.scalar(lastStatus) == expected)
    }
}
