import Foundation
import MMTestSupport
import Testing
import WarehousePG

/// The built binary end to end: simulator child process on loopback, real PostgreSQL.
@Suite(.serialized) struct CommandLineTests {
    static let asOf = "2026-11-24"

    /// Writes a pipeline file for a simulator and returns its path.
    static func pipeline(_ sim: SimulatorProcess, name: String = "e2e", maxWait: Int = 900, extra: String = "") throws -> String {
        let dir = NSTemporaryDirectory() + "mmetl-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let yaml = """
        name: \(name)
        start_date: 2026-11-10
        graph: { base_url: "\(sim.baseURL)", api_version: v25.0, token_env: MMETL_ACCESS_TOKEN, max_concurrency: 4, max_wait_seconds: \(maxWait), timeout_seconds: 10 }
        warehouse: { url_env: DATABASE_URL }
        archive: { dir: \(dir)/archive }
        datasets:
          pricing:   { settle_days: 7 }
          templates: { settle_days: 10 }
          catalog:   {}
        wabas:
        \(sim.wabaIDs.map { "  - { id: \"\($0)\" }" }.joined(separator: "\n"))
        \(extra)
        """
        let path = dir + "/pipeline.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func env(_ db: TestDatabase, token: String = "e2e-token") -> [String: String] {
        ["DATABASE_URL": db.url, "MMETL_ACCESS_TOKEN": token, "MMETL_RECIPIENT_HASH_KEY": "e2e-key"]
    }

    static func factsChecksum(_ db: TestDatabase) throws -> String {
        let conn = try db.connect()
        var parts: [String] = []
        for t in ["mm.fact_template_daily", "mm.fact_pricing", "mm.fact_conversions", "mm.fact_template_clicks"] {
            // Values only: run ids and fetch times differ between databases by design.
            let cols = try conn.query("""
                SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
                WHERE table_schema || '.' || table_name = $1
                  AND column_name NOT IN ('run_id','first_fetched_at','last_fetched_at','revision','is_final')
                """, [t]).string(0, 0)!
            parts.append(try conn.query("SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) || ':' || count(*) FROM (SELECT \(cols) FROM \(t)) x").string(0, 0)!)
        }
        return parts.joined(separator: " ")
    }

    @Test func helpListsEveryCommandOfTheSpec() throws {
        let r = try CLI.run(["--help"])
        #expect(r.code == 0)
        for c in ["run", "backfill", "replay", "sendlog", "migrate", "status", "check", "simulate", "demo"] {
            #expect(r.stdout.contains("  \(c) "), "missing \(c)")
        }
    }

    @Test func anInvalidPipelineExits64NamingEveryProblem() throws {
        let path = NSTemporaryDirectory() + "bad-\(UUID().uuidString).yaml"
        try "name: x\ngraph: { max_concurency: 3 }\ndatasets: { pricing: { settle_days: 99 } }\nwabas: [{ id: abc }]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "--pipeline", path])
        #expect(r.code == 64)
        #expect(r.stderr.contains("\(path):2: graph.max_concurency: unknown key (did you mean max_concurrency?)"))
        #expect(r.stderr.contains("datasets.pricing.settle_days: must be 0…30, got 99"))
        #expect(r.stderr.contains("wabas[0].id"))
        #expect(try CLI.run(["run", "--pipeline", path, "--as-of", "yesterday"]).code == 64)
    }

    @Test func nightlyTwiceThenStatusAndDryRuns() throws {
        let db = try TestDatabase.create(label: "e2e_nightly")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "2", "--templates", "8"])
        defer { sim.stop() }
        let p = try Self.pipeline(sim)
        let env = Self.env(db)
        let migrate = try CLI.run(["migrate", "--pipeline", p], env: env)
        #expect(migrate.code == 0, "\(migrate.stderr)")
        #expect(try CLI.run(["migrate", "--pipeline", p], env: env).stdout.contains("up to date"))

        let first = try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf], env: env)
        #expect(first.code == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("succeeded"))
        // Off a TTY the logs are JSON lines and carry the run id; never the token.
        #expect(first.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("{") })
        #expect(first.stderr.contains("\"run_id\""))
        #expect(!first.stderr.contains("e2e-token") && !first.stdout.contains("e2e-token"))

        let second = try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf], env: env)
        #expect(second.code == 0)
        #expect(second.stdout.contains("inserted 0, updated 0 (revisions 0)"))

        let status = try CLI.run(["status", "--pipeline", p, "--max-lag", "24"], env: env)
        #expect(status.code == 0, "\(status.stdout)")
        #expect(status.stdout.contains("through \(Self.asOf)"))
        #expect(try CLI.run(["status", "--pipeline", p, "--max-lag", "0"], env: env).code == 1)

        let runsBefore = try db.connect().query("SELECT count(*) FROM etl.runs").string(0, 0)
        let plan = try CLI.run(["backfill", "--pipeline", p, "--from", "2026-11-01", "--to", "2026-11-20", "--dry-run"], env: env)
        #expect(plan.code == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("1 chunk(s)"))
        #expect(plan.stdout.contains("estimated API calls"))
        let dry = try CLI.run(["run", "--pipeline", p, "--dry-run", "--as-of", Self.asOf], env: env)
        #expect(dry.code == 0 && dry.stdout.contains("watermark \(Self.asOf)"))
        // The planner's own slices: pricing re-reads its 7 settle days, templates their 10.
        #expect(dry.stdout.contains("pricing 2026-11-17…2026-11-24  ≈1 API calls · final before 2026-11-17 · advances the watermark"), "\(dry.stdout)")
        #expect(dry.stdout.contains("templates 2026-11-14…2026-11-24"))
        #expect(try db.connect().query("SELECT count(*) FROM etl.runs").string(0, 0) == runsBefore)

        // Beyond retention without --from-archive: refused with a config error.
        let old = try CLI.run(["backfill", "--pipeline", p, "--from", "2020-01-01", "--to", "2020-01-05"], env: env)
        #expect(old.code == 64 && old.stderr.contains("retention"))

        let metrics = NSTemporaryDirectory() + "mmetl-\(UUID().uuidString).prom"
        #expect(try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf, "--metrics-file", metrics], env: env).code == 0)
        let prom = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(prom.contains("mmetl_last_success_timestamp_seconds{pipeline=\"e2e\"}"))

        // archive prune: a dry run lists and keeps; --apply deletes; nothing is left to list after.
        let listed = try CLI.run(["archive", "prune", "--pipeline", p, "--older-than", "3"], env: env)
        #expect(listed.code == 0 && listed.stdout.contains("(dry run; --apply deletes)"))
        let victims = listed.stdout.split(separator: "\n").filter { $0.hasSuffix(".json.gz") }
        #expect(!victims.isEmpty)
        let archiveDir = URL(fileURLWithPath: p).deletingLastPathComponent().appendingPathComponent("archive").path
        #expect(FileManager.default.fileExists(atPath: archiveDir + "/" + victims[0]))
        #expect(try CLI.run(["archive", "prune", "--pipeline", p, "--older-than", "3", "--apply"], env: env).code == 0)
        #expect(!FileManager.default.fileExists(atPath: archiveDir + "/" + victims[0]))
        #expect(try CLI.run(["archive", "prune", "--pipeline", p, "--older-than", "3"], env: env).stdout.contains("archive prune: 0 file(s)"))
        // Pruned files left the manifest too: the archive still verifies clean.
        let verified = try CLI.run(["archive", "verify", "--pipeline", p], env: env)
        #expect(verified.code == 0, "\(verified.stdout)")
    }

    @Test func aKilledBackfillResumesAndConvergesWithAnUninterruptedOne() throws {
        let reference = try TestDatabase.migrated(label: "e2e_bf_ref")
        let killed = try TestDatabase.migrated(label: "e2e_bf_kill")
        defer { try? reference.drop(); try? killed.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "2", "--templates", "12", "--latency-ms", "40"])
        defer { sim.stop() }
        let p = try Self.pipeline(sim)
        let args = ["backfill", "--pipeline", p, "--from", "2026-10-31", "--to", "2026-11-19", "--chunk-days", "2"]

        let full = try CLI.run(args, env: Self.env(reference))
        #expect(full.code == 0, "\(full.stdout)\n\(full.stderr)")

        let (child, _) = try CLI.start(args, env: Self.env(killed))
        let conn = try killed.connect()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let done = Int(try conn.query("SELECT count(*) FROM etl.backfill_chunks WHERE status = 'succeeded'").string(0, 0) ?? "0") ?? 0
            if done >= 3 { break }
            usleep(20_000)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let doneAtKill = Int(try conn.query("SELECT count(*) FROM etl.backfill_chunks WHERE status = 'succeeded'").string(0, 0) ?? "0") ?? 0
        #expect(doneAtKill >= 3 && doneAtKill < 20, "killed after \(doneAtKill) chunks")

        let resumed = try CLI.run(args, env: Self.env(killed))
        #expect(resumed.code == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(resumed.stdout.contains("skipped \(doneAtKill)") || doneAtKill == 0)
        #expect(try Self.factsChecksum(killed) == Self.factsChecksum(reference))
        // The nightly watermark never moved.
        #expect(try conn.query("SELECT count(*) FROM etl.watermarks").string(0, 0) == "0")
    }

    @Test func aNightlyRunAndABackfillTogetherBothFinishAndAgree() throws {
        let db = try TestDatabase.migrated(label: "e2e_together")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "3", "--templates", "10", "--latency-ms", "10"])
        defer { sim.stop() }
        let p = try Self.pipeline(sim)
        let env = Self.env(db)
        let nightly = Locked<CLI.Result?>(nil)
        let t = Thread { nightly.set(try? CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf], env: env)) }
        t.start()
        let backfill = try CLI.run(["backfill", "--pipeline", p, "--from", "2026-11-10", "--to", "2026-11-24", "--chunk-days", "5"], env: env)
        while !nightly.isSet { usleep(10_000) }
        #expect(backfill.code == 0, "\(backfill.stderr)")
        #expect(nightly.value?.code == 0, "\(nightly.value?.stderr ?? "")")
        // Agreement: a further nightly run finds nothing to change.
        let again = try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf], env: env)
        #expect(again.code == 0)
        #expect(again.stdout.contains("updated 0 (revisions 0)"))
    }

    @Test func faultsMapToTheDocumentedExitCodes() throws {
        let db = try TestDatabase.migrated(label: "e2e_faults")
        defer { try? db.drop() }
        let tokenSim = try SimulatorProcess.start(["--wabas", "2", "--templates", "3", "--token", "the-right-one"])
        let rejected = try CLI.run(["run", "--pipeline", try Self.pipeline(tokenSim), "--as-of", Self.asOf], env: Self.env(db, token: "a-wrong-one"))
        tokenSim.stop()
        #expect(rejected.code == 77, "\(rejected.stdout)")
        #expect(!rejected.stderr.contains("a-wrong-one"))

        let throttled = try SimulatorProcess.start(["--wabas", "1", "--templates", "3", "--fault", "throttle:1"])
        let temporary = try CLI.run(["run", "--pipeline", try Self.pipeline(throttled, maxWait: 5), "--as-of", Self.asOf], env: Self.env(db))
        throttled.stop()
        #expect(temporary.code == 75, "\(temporary.stdout)")

        let noToken = try SimulatorProcess.start(["--wabas", "1", "--templates", "3"])
        defer { noToken.stop() }
        var env = Self.env(db)
        env["MMETL_ACCESS_TOKEN"] = ""
        let missing = try CLI.run(["run", "--pipeline", try Self.pipeline(noToken), "--as-of", Self.asOf], env: env)
        #expect(missing.code == 64 && missing.stderr.contains("MMETL_ACCESS_TOKEN"))
        var noKey = Self.env(db)
        noKey["MMETL_RECIPIENT_HASH_KEY"] = ""
        let sendlog = try CLI.run(["sendlog", "load", "--pipeline", try Self.pipeline(noToken), "/dev/null"], env: noKey)
        #expect(sendlog.code == 64 && sendlog.stderr.contains("MMETL_RECIPIENT_HASH_KEY"))
    }

    @Test func sendLogFromTheSimulatorLoadsOnceAndReconciles() throws {
        let db = try TestDatabase.migrated(label: "e2e_sendlog")
        defer { try? db.drop() }
        let dir = NSTemporaryDirectory() + "mmetl-sendlog-\(UUID().uuidString)"
        let sim = try SimulatorProcess.start(["--wabas", "2", "--templates", "5", "--days", "10", "--write-sendlog", dir])
        defer { sim.stop() }
        let p = try Self.pipeline(sim)
        let env = Self.env(db)
        #expect(try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf], env: env).code == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".ndjson") || $0.hasSuffix(".gz") }.sorted().map { dir + "/" + $0 }
        #expect(!files.isEmpty)
        let first = try CLI.run(["sendlog", "load", "--pipeline", p] + files, env: env)
        #expect(first.code == 0, "\(first.stdout)\n\(first.stderr)")
        let conn = try db.connect()
        let messages = try conn.query("SELECT count(*) FROM sendlog.messages").string(0, 0)
        let second = try CLI.run(["sendlog", "load", "--pipeline", p] + files, env: env)
        #expect(second.code == 0)
        #expect(try conn.query("SELECT count(*) FROM sendlog.messages").string(0, 0) == messages)
        // Send log and API agree per template, day and product: delivered exactly (every delivered
        // message carries its pricing category, hence its product).
        let both = try conn.query("SELECT count(*) FROM mm.v_reconciliation WHERE presence = 'both'").string(0, 0)
        #expect(Int(both ?? "0")! > 0)
        let off = try conn.query("SELECT count(*) FROM mm.v_reconciliation WHERE presence = 'both' AND delivered_delta <> 0").string(0, 0)
        #expect(off == "0")
        #expect(Int(try conn.query("SELECT count(*) FROM mm.fact_sends_daily").string(0, 0) ?? "0")! > 0)
    }

    @Test func checkNamesEachProblemWithItsFix() throws {
        let db = try TestDatabase.create(label: "e2e_check")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "6", "--templates", "3"])
        defer { sim.stop() }
        let p = try Self.pipeline(sim)
        let before = try CLI.run(["check", "--pipeline", p], env: Self.env(db))
        #expect(before.code == 1)
        #expect(before.stdout.contains("FAIL database:") && before.stdout.contains("mmetl migrate"))
        // The sixth simulated WABA has template insights disabled.
        #expect(before.stdout.contains("waba \(sim.wabaIDs[5]): template analytics are not enabled — fix: POST /v25.0/\(sim.wabaIDs[5])?is_enabled_for_insights=true"))
        #expect(before.stdout.contains("ok   archive:"))
        #expect(try CLI.run(["migrate", "--pipeline", p], env: Self.env(db)).code == 0)
        let after = try CLI.run(["check", "--pipeline", p], env: Self.env(db))
        #expect(after.stdout.contains("ok   database:"))
        #expect(after.stdout.contains("ok   token: accepted"))
        #expect(after.stdout.contains("check: 1 problem(s)"))
    }

    @Test func aSecondNightlyRunOfTheSamePipelineExits75WhileTheFirstRuns() throws {
        let db = try TestDatabase.migrated(label: "e2e_lock")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "2", "--templates", "4", "--latency-ms", "150"])
        defer { sim.stop() }
        let p = try Self.pipeline(sim)
        let (first, _) = try CLI.start(["run", "--pipeline", p, "--as-of", Self.asOf], env: Self.env(db))
        // Wait until the first run is registered (it holds the run lock from before that point).
        let conn = try db.connect()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try conn.query("SELECT count(*) FROM etl.runs").string(0, 0) == "0" { usleep(20_000) }
        let second = try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf], env: Self.env(db))
        first.waitUntilExit()
        #expect(second.code == 75, "\(second.stdout)")
        #expect(second.stderr.contains("another run of pipeline"))
        #expect(first.terminationStatus == 0)
        // With --wait it queues behind the lock instead, and succeeds.
        #expect(try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf, "--wait"], env: Self.env(db)).code == 0)
    }

    @Test func onATTYItShowsProgressAndTextLogsOffATTYNeither() throws {
        let db = try TestDatabase.migrated(label: "e2e_tty")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "2", "--templates", "3"])
        defer { sim.stop() }
        let p = try Self.pipeline(sim)
        // `script` gives the child a pseudo-terminal, as an engineer's shell would.
        let command = "\(CLI.binary) run --pipeline \(p) --as-of \(Self.asOf)"
        let tty = Process()
        tty.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        tty.arguments = ["-qec", command, "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in Self.env(db) { env[k] = v }
        tty.environment = env
        let out = Pipe()
        tty.standardOutput = out
        tty.standardInput = FileHandle.nullDevice
        try tty.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tty.waitUntilExit()
        #expect(tty.terminationStatus == 0)
        #expect(text.contains("WABAs 2/2"))
        #expect(text.contains("INFO") && text.contains("run started"))
        // Off a TTY: JSON lines and no progress line.
        let plain = try CLI.run(["run", "--pipeline", p, "--as-of", Self.asOf], env: Self.env(db))
        #expect(!plain.stderr.contains("WABAs 2/2"))
    }
}
