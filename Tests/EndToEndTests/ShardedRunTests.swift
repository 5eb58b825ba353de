import Foundation
import MMTestSupport
import Testing

/// Scale-out end to end: `mmetl run --shard K/3` as three processes in parallel against one
/// database and archive, then `mmetl transform` once, equals one unsharded process.
@Suite(.serialized) struct ShardedRunTests {
    static let asOf = CommandLineTests.asOf

    /// An ordered checksum of every base table of `mm` (facts and dimensions), values only: run
    /// ids and timestamps differ between databases by design.
    static func warehouseChecksum(_ db: TestDatabase) throws -> [String: String] {
        let conn = try db.connect()
        let tables = try conn.query("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'mm' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
            """)
        var sums: [String: String] = [:]
        for i in 0..<tables.count {
            let t = "mm." + (try tables.string(i, 0) ?? "")
            let cols = try conn.query("""
                SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns
                WHERE table_schema || '.' || table_name = $1 AND column_name NOT LIKE '%run_id'
                  AND data_type NOT LIKE 'timestamp%'
                """, [t]).string(0, 0)!
            sums[t] = try conn.query("SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) || ':' || count(*) FROM (SELECT \(cols) FROM \(t)) x").string(0, 0)!
        }
        return sums
    }

    /// Runs `args` for each shard 1…3 at once; returns their results by shard.
    static func threeShards(_ args: [String], env: [String: String]) -> [CLI.Result?] {
        let results = (1...3).map { _ in Locked<CLI.Result?>(nil) }
        let threads = (1...3).map { k in Thread { results[k - 1].set(try? CLI.run(args + ["--shard", "\(k)/3"], env: env)) } }
        threads.forEach { $0.start() }
        while !results.allSatisfy(\.isSet) { usleep(10_000) }
        return results.map(\.value)
    }

    static func reference(_ sim: SimulatorProcess, pipeline: String) throws -> [String: String] {
        let db = try TestDatabase.migrated(label: "e2e_shard_ref")
        defer { try? db.drop() }
        let one = try CLI.run(["run", "--pipeline", pipeline, "--as-of", asOf], env: CommandLineTests.env(db))
        #expect(one.code == 0, "\(one.stdout)\n\(one.stderr)")
        return try warehouseChecksum(db)
    }

    @Test func threeShardsInParallelThenOneTransformEqualOneProcess() throws {
        let sim = try SimulatorProcess.start(["--wabas", "6", "--templates", "6", "--latency-ms", "5"])
        defer { sim.stop() }
        let p = try CommandLineTests.pipeline(sim)
        let expected = try Self.reference(sim, pipeline: p)

        let db = try TestDatabase.migrated(label: "e2e_shard_3")
        defer { try? db.drop() }
        let env = CommandLineTests.env(db)
        let runs = Self.threeShards(["run", "--pipeline", p, "--as-of", Self.asOf], env: env)
        for (k, r) in runs.enumerated() { #expect(r?.code == 0, "shard \(k + 1): \(r?.stdout ?? "")\n\(r?.stderr ?? "")") }
        let conn = try db.connect()
        // Every WABA loaded by exactly one shard; the shards left the transforms alone.
        #expect(try conn.query("""
            SELECT count(*) FROM (SELECT i.waba_id FROM etl.run_items i JOIN etl.runs r USING (run_id)
                                  GROUP BY i.waba_id HAVING count(DISTINCT r.shard) <> 1) x
            """).string(0, 0) == "0")
        #expect(try conn.query("SELECT count(DISTINCT waba_id) FROM etl.run_items").string(0, 0) == "6")
        #expect(try conn.query("SELECT count(*) FROM mm.fact_benchmarks").string(0, 0) == "0")
        #expect(try Self.warehouseChecksum(db) != expected)

        let t = try CLI.run(["transform", "--pipeline", p], env: env)
        #expect(t.code == 0, "\(t.stdout)\n\(t.stderr)")
        #expect(t.stdout.contains("days 2026-11-10…\(Self.asOf)"), "\(t.stdout)")
        #expect(try Self.warehouseChecksum(db) == expected)
        // Once per night: the transform is recorded and a second one finds nothing to do.
        let again = try CLI.run(["transform", "--pipeline", p], env: env)
        #expect(again.code == 0 && again.stdout.contains("nothing to transform"), "\(again.stdout)")
        #expect(try conn.query("SELECT count(*) FROM etl.transform_runs").string(0, 0) == "1")

        let status = try CLI.run(["status", "--pipeline", p], env: env)
        for k in 1...3 { #expect(status.stdout.contains("shard \(k)/3"), "\(status.stdout)") }
        #expect(status.stdout.contains("last transform"))
    }

    @Test func aShardKilledWithSIGKILLReRunsAndConvergesWhileTheOthersAreUnaffected() throws {
        let sim = try SimulatorProcess.start(["--wabas", "6", "--templates", "12", "--latency-ms", "40"])
        defer { sim.stop() }
        let p = try CommandLineTests.pipeline(sim)
        let expected = try Self.reference(sim, pipeline: p)

        let db = try TestDatabase.migrated(label: "e2e_shard_kill")
        defer { try? db.drop() }
        let env = CommandLineTests.env(db)
        let args = ["run", "--pipeline", p, "--as-of", Self.asOf]
        let (victim, _) = try CLI.start(args + ["--shard", "2/3"], env: env)
        let others = (1...2).map { _ in Locked<CLI.Result?>(nil) }
        let threads = [1, 3].enumerated().map { i, k in
            Thread { others[i].set(try? CLI.run(args + ["--shard", "\(k)/3", "--transform-if-last"], env: env)) }
        }
        threads.forEach { $0.start() }
        let conn = try db.connect()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && victim.isRunning {
            let done = try conn.query("""
                SELECT count(*) FROM etl.run_items i JOIN etl.runs r USING (run_id) WHERE r.shard = '2/3' AND i.status = 'succeeded'
                """).string(0, 0)
            if done != "0" { break }
            usleep(5_000)
        }
        #expect(victim.isRunning, "shard 2 finished before it could be killed")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        while !others.allSatisfy(\.isSet) { usleep(10_000) }
        for r in others { #expect(r.value?.code == 0, "\(r.value?.stdout ?? "")\n\(r.value?.stderr ?? "")") }
        // Shard 2 did not finish: neither of the others was the last, so nothing transformed yet.
        #expect(try conn.query("SELECT count(*) FROM etl.transform_runs").string(0, 0) == "0")

        // The killed shard's lock died with its session: it re-runs at once, nothing else does.
        let rerun = try CLI.run(args + ["--shard", "2/3", "--transform-if-last"], env: env)
        #expect(rerun.code == 0, "\(rerun.stdout)\n\(rerun.stderr)")
        #expect(try conn.query("SELECT count(*) FROM etl.runs WHERE status = 'abandoned' AND shard = '2/3'").string(0, 0) == "1")
        #expect(try conn.query("SELECT count(*) FROM etl.runs WHERE shard IN ('1/3', '3/3')").string(0, 0) == "2")
        // The re-run was the last shard to finish: it transformed, once.
        #expect(rerun.stdout.contains("transform "), "\(rerun.stdout)")
        #expect(try conn.query("SELECT count(*) FROM etl.transform_runs").string(0, 0) == "1")
        #expect(try Self.warehouseChecksum(db) == expected)
    }
}
