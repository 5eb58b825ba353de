import Foundation
import MMCore
import MMSimulator
import MMTestSupport
import Testing
@testable import WarehousePG

/// The direct way of a send-log load (the fold's rows COPYed into the tables) stores exactly what
/// the stage's way stores: random files — repeated keys, records that differ only in their line,
/// ties in time, statuses before sends, WABAs named only by statuses or only by a phone number —
/// loaded both ways into two warehouses, then a second file over the first (stored messages: the
/// stage's way in both, the first one fed by the fold's records).
@Suite("Send log direct load (PostgreSQL)", .serialized)
struct SendLogDirectLoadTests {
    /// A deterministic generator (the simulator's SplitMix64).
    struct Random {
        var rng: SplitMix64
        init(state: UInt64) { rng = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { rng.next() }
        mutating func pick<T>(_ xs: [T]) -> T { xs[rng.below(xs.count)] }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    }

    static func field(_ key: String, _ value: String?) -> String { value.map { #","\#(key)":"\#($0)""# } ?? "" }

    /// A random file of `messages` wamids (numbered from `first`); every message names its WABA
    /// somewhere (a send, a status, or phone number p3 of w3) unless `unresolved`.
    static func file(seed: UInt64, messages: Int, first: Int = 0, unresolved: Bool = false) -> [String] {
        var r = Random(state: seed)
        var lines: [String] = []
        let base = 1_795_521_600
        for n in first..<(first + messages) {
            let wamid = "wamid.\(n)"
            // One message in five is known only by its phone number (p3, of w3).
            let byPhone = !unresolved && r.chance(20)
            let waba = byPhone ? nil : r.pick(["w1", "w2", nil]), phone = byPhone ? "p3" : r.pick(["p1", "p2", nil])
            var named = false
            if r.chance(80) {
                named = waba != nil || byPhone
                for _ in 0..<(r.chance(15) ? 2 : 1) {
                    let sentAt = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(base + Int(r.next() % 200_000))))
                    lines.append(#"{"kind":"send","wamid":"\#(wamid)","sent_at":"\#(sentAt)""# + field("waba_id", waba) + field("phone_number_id", phone)
                                 + field("template_id", r.pick(["t1", "t2", nil])) + field("template_name", r.pick(["promo", "ofertão", nil]))
                                 + field("language", r.pick(["pt_BR", "en", nil]))
                                 + field("recipient", r.pick(["+5511987650001", "+12125550100", "+4915112345678", nil]))
                                 + field("endpoint", r.pick(["marketing_messages", "messages", nil]))
                                 + field("product_policy", r.pick(["CLOUD_API_FALLBACK", "STRICT", nil]))
                                 + (r.chance(50) ? #","message_activity_sharing":\#(r.chance(50))"# : "")
                                 + field("campaign", r.pick(["bf", "Black Friday", nil])) + "}")
                }
            }
            for _ in 0..<Int(r.next() % 5) {
                let statusWaba = byPhone ? nil : r.pick(["w1", "w2", "w3", nil, nil])
                named = named || statusWaba != nil || byPhone
                let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(base + Int(r.next() % 4) * 60)))
                var line = #"{"kind":"status","wamid":"\#(wamid)","status":"\#(r.pick(["sent", "delivered", "read", "failed", "played"]))","timestamp":"\#(iso)""#
                line += field("waba_id", statusWaba) + field("phone_number_id", byPhone ? "p3" : r.pick(["p1", "p2", "p3", nil]))
                line += field("recipient_id", r.pick(["+5511987650001", "+12125550100", "+4915112345678", nil]))
                if r.chance(70) {
                    line += #","pricing":{"billable":\#(r.chance(50)),"pricing_model":"PMP","type":"regular","category":"\#(r.pick(["marketing_lite", "marketing", "utility", "authentication"]))"}"#
                }
                if r.chance(20) { line += #","errors":[{"code":\#(r.pick([131049, 131026, 1])),"title":"t","message":"m"}]"# }
                lines.append(line + "}")
                if r.chance(10) { lines.append(lines[lines.count - 1]) }  // the same record twice
            }
            if !named && !unresolved && lines.last?.contains(#""\#(wamid)""#) == true {
                lines.append(#"{"kind":"status","wamid":"\#(wamid)","status":"sent","timestamp":"2026-11-24T12:00:00Z","waba_id":"w3"}"#)
            }
        }
        // Lines in a random order: statuses before their send, repeats far apart.
        for i in stride(from: lines.count - 1, to: 0, by: -1) { lines.swapAt(i, Int(r.next() % UInt64(i + 1))) }
        return lines
    }

    /// Distinct wamids of a file (as text, for comparison with a count).
    static func messages(in lines: [String]) -> String {
        String(Set(lines.map { $0.split(separator: #""wamid":""#)[1].prefix { $0 != "\"" } }).count)
    }

    static func warehouse(_ label: String, foldBudgetBytes: Int? = nil) throws -> SendLogTestDB {
        let t = try SendLogTestDB.make(label, foldBudgetBytes: foldBudgetBytes)
        try t.conn.execute("INSERT INTO mm.dim_phone_number (phone_number_id, waba_id) VALUES ('p3', 'w3')")
        return t
    }

    static let tablesSQL = [
        "SELECT (to_jsonb(m) - 'loaded_at' - 'updated_at')::text FROM sendlog.messages m ORDER BY waba_id, wamid",
        "SELECT (to_jsonb(s) - 'loaded_at')::text FROM sendlog.statuses s ORDER BY waba_id, wamid, status, status_at",
        "SELECT kind, wamid, status, at::text FROM etl.sendlog_pending ORDER BY 1, 2, 3, 4",
    ]

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func theDirectWayStoresWhatTheStageWayStores(seed: UInt64) throws {
        let direct = try Self.warehouse("sendlog_direct")
        defer { direct.close() }
        let stage = try Self.warehouse("sendlog_stage", foldBudgetBytes: 0)
        defer { stage.close() }
        // A fold that outgrows its budget every few dozen messages: written into the stage in parts.
        let spilled = try Self.warehouse("sendlog_spilled", foldBudgetBytes: 20_000)
        defer { spilled.close() }
        let all = [direct, stage, spilled]
        func same(_ outcomes: [SendLogFileOutcome]) throws {
            #expect(outcomes[0] == outcomes[1] && outcomes[1] == outcomes[2])
            let tables = try all.map { t in try Self.tablesSQL.map { try t.rows($0) } }
            #expect(tables[0] == tables[1] && tables[1] == tables[2])
        }

        // A first file: the direct way into empty tables.
        try same(try all.map { try $0.load(Self.file(seed: seed, messages: 60)) })
        #expect(direct.store.lastWay == .direct && stage.store.lastWay == .stage && spilled.store.lastWay == .stage)
        #expect(try direct.scalar("SELECT count(*) FROM sendlog.messages") == Self.messages(in: Self.file(seed: seed, messages: 60)))

        // Half of the second file's messages are stored: the stage's way, fed by the fold's records.
        try same(try all.map { try $0.load(Self.file(seed: seed + 100, messages: 60, first: 30)) })
        #expect(direct.store.lastWay == .stage)

        // New messages only, into tables that hold others: the direct way again.
        try same(try all.map { try $0.load(Self.file(seed: seed + 200, messages: 40, first: 500)) })
        #expect(direct.store.lastWay == .direct)
        #expect(try direct.scalar("SELECT count(*) FROM sendlog.messages WHERE wamid LIKE 'wamid.5__'")
                == Self.messages(in: Self.file(seed: seed + 200, messages: 40, first: 500)))
    }

    /// A message no record resolves is held: the load goes the stage's way, which holds it.
    @Test func anUnresolvedMessageTakesTheStageWay() throws {
        let t = try Self.warehouse("sendlog_direct_held")
        defer { t.close() }
        var lines = Self.file(seed: 9, messages: 10)
        lines.append(#"{"kind":"status","wamid":"nobody","status":"sent","timestamp":"2026-11-24T12:00:00Z","phone_number_id":"p9"}"#)
        let out = try t.load(lines)
        #expect(t.store.lastWay == .stage)
        #expect(out.heldMessages == 1 && out.newMessages == 10)
    }
}
