import Foundation
import MMTestSupport
import Testing
@testable import WarehousePG

/// The warehouse is ready for Citus: on the migrated schema, every table of `mm` and `sendlog` is
/// either a small reference table or distributed by `waba_id` — NOT NULL, in every primary and
/// unique key — and no foreign key crosses a line Citus cannot (reference → distributed, or into
/// the coordinator's `etl`). `sql/citus/distribute.sql` must name each table exactly once, as what
/// it is. Citus itself is not installable here; this is what can be checked without it.
@Suite(.serialized) struct CitusReadinessTests {
    /// Small dimensions every node reads: replicated whole (`create_reference_table`).
    static let reference: Set<String> = ["mm.dim_country", "mm.dim_calling_code", "mm.dim_error_code", "mm.dim_currency"]
    /// The send-log tables and facts, distributed since their keys carry the WABA (resolved when a
    /// line is staged; unresolved records wait on the coordinator in `etl.sendlog_pending`).
    static let sendLog: Set<String> = ["sendlog.messages", "sendlog.statuses", "mm.fact_sends_daily", "mm.fact_errors"]

    static func tables(_ conn: PGConnection) throws -> [String] {
        let rows = try conn.query("""
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('mm', 'sendlog') AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
            """)
        return try (0..<rows.count).map { try rows.string($0, 0) ?? "" }
    }

    /// Every rule broken on `conn`'s schema, one line each (empty when ready).
    static func violations(_ conn: PGConnection) throws -> [String] {
        var problems: [String] = []
        for t in try tables(conn) where !reference.contains(t) {
            let col = try conn.query("""
                SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attname = 'waba_id' AND NOT a.attisdropped
                """, [t])
            guard col.count == 1 else { problems.append("\(t): no waba_id column to distribute by"); continue }
            if try col.bool(0, 0) != true { problems.append("\(t): waba_id is nullable (a distribution column cannot be)") }
            let keys = try conn.query("""
                SELECT ic.relname AS name, i.indisprimary AS pk,
                       EXISTS (SELECT 1 FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k
                               WHERE a.attname = 'waba_id') AS has_waba
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                WHERE i.indrelid = $1::regclass AND i.indisunique
                """, [t])
            for k in 0..<keys.count where try keys.bool(k, "has_waba") != true {
                problems.append("\(t): \(try keys.bool(k, "pk") == true ? "primary key" : "unique key") \(try keys.string(k, "name") ?? "") lacks waba_id")
            }
        }
        let fks = try conn.query("""
            SELECT cn.nspname || '.' || c.relname AS src, fn.nspname || '.' || f.relname AS dst, k.conname,
                   (SELECT array_agg(a.attname::text) FROM unnest(k.conkey) x JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x)::text AS cols
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
            JOIN pg_class f ON f.oid = k.confrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
            WHERE k.contype = 'f' AND (cn.nspname IN ('mm', 'sendlog', 'etl') OR fn.nspname IN ('mm', 'sendlog', 'etl'))
            """)
        for i in 0..<fks.count {
            let src = try fks.string(i, "src") ?? "", dst = try fks.string(i, "dst") ?? "", name = try fks.string(i, "conname") ?? ""
            let srcETL = src.hasPrefix("etl."), dstETL = dst.hasPrefix("etl.")
            if srcETL && dstETL { continue }   // the ledger stays on the coordinator, whole
            if srcETL != dstETL { problems.append("\(src) → \(dst) (\(name)): a foreign key between the coordinator's etl and a distributed schema"); continue }
            if reference.contains(dst) && reference.contains(src) { continue }
            if reference.contains(dst) { continue }   // distributed → reference: allowed
            if reference.contains(src) { problems.append("\(src) → \(dst) (\(name)): a reference table cannot point at a distributed one"); continue }
            if !(try fks.string(i, "cols") ?? "").contains("waba_id") {
                problems.append("\(src) → \(dst) (\(name)): a foreign key between distributed tables must include waba_id")
            }
        }
        return problems
    }

    @Test func theMigratedSchemaKeepsTheDistributionRule() throws {
        let db = try TestDatabase.migrated(label: "citus_rule")
        defer { try? db.drop() }
        let conn = try db.connect()
        // No table breaks the rule, the send-log ones included.
        let problems = try Self.violations(conn)
        #expect(problems.isEmpty, "\n\(problems.joined(separator: "\n"))")
        #expect(Self.sendLog.isSubset(of: Set(try Self.tables(conn))))

        // The shipped distribution statements name every other table once, as what it is.
        let sql = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("sql/citus/distribute.sql"), encoding: .utf8)
        let statements = sql.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
        for t in try Self.tables(conn) {
            let asReference = statements.components(separatedBy: "create_reference_table('\(t)')").count - 1
            let asDistributed = statements.components(separatedBy: "create_distributed_table('\(t)', 'waba_id'").count - 1
            if Self.reference.contains(t) {
                #expect(asReference == 1 && asDistributed == 0, "\(t) must be a reference table, once")
            } else {
                #expect(asDistributed == 1 && asReference == 0, "\(t) must be distributed by waba_id, once")
            }
        }
        #expect(!statements.contains("'etl."), "the ledger stays on the coordinator")
        // The send-log tables live with the mm facts (same "C" collation of waba_id).
        for t in Self.sendLog {
            #expect(statements.contains("create_distributed_table('\(t)', 'waba_id', colocate_with => 'mm.fact_template_daily')"), "\(t) co-located with the facts")
        }
    }

    @Test func theRuleCatchesAKeyWithoutWABAAndAForeignKeyAcrossTheLine() throws {
        let db = try TestDatabase.migrated(label: "citus_rule_neg")
        defer { try? db.drop() }
        let conn = try db.connect()
        try conn.execute("""
            CREATE TABLE mm.fact_bad (waba_id text NOT NULL, template_id text NOT NULL, day date NOT NULL, PRIMARY KEY (template_id, day));
            CREATE TABLE mm.fact_bad_child (waba_id text NOT NULL REFERENCES mm.dim_waba (waba_id), run_id bigint REFERENCES etl.runs (run_id), PRIMARY KEY (waba_id));
            """)
        let problems = try Self.violations(conn)
        #expect(problems.contains { $0.hasPrefix("mm.fact_bad: primary key") })
        #expect(problems.contains { $0.hasPrefix("mm.fact_bad_child → etl.runs") })
        #expect(!problems.contains { $0.hasPrefix("mm.fact_bad_child → mm.dim_waba") })
    }
}
