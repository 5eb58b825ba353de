import Foundation
import MMTestSupport
import Testing
import WarehousePG

/// SIGTERM/SIGINT as systemd, Kubernetes and Ctrl-C send them; SIGKILL as the OOM killer does.
@Suite(.serialized) struct StopSignalTests {
    static func waitForChunks(_ db: TestDatabase, atLeast n: Int) throws {
        let conn = try db.connect()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let done = Int(try conn.query("SELECT count(*) FROM etl.backfill_chunks WHERE status = 'succeeded'").string(0, 0) ?? "0") ?? 0
            if done >= n { return }
            usleep(20_000)
        }
    }

    static func wait(_ p: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        return !p.isRunning
    }

    @Test func aTerminatedBackfillIsRecordedInterruptedExits75AndResumesToTheSameWarehouse() throws {
        let reference = try TestDatabase.migrated(label: "e2e_term_ref")
        let stopped = try TestDatabase.migrated(label: "e2e_term")
        defer { try? reference.drop(); try? stopped.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "2", "--templates", "12", "--latency-ms", "40"])
        defer { sim.stop() }
        let p = try CommandLineTests.pipeline(sim)
        let args = ["backfill", "--pipeline", p, "--from", "2026-10-31", "--to", "2026-11-19", "--chunk-days", "2"]
        #expect(try CLI.run(args, env: CommandLineTests.env(reference)).code == 0)

        let (child, _) = try CLI.start(args, env: CommandLineTests.env(stopped))
        try Self.waitForChunks(stopped, atLeast: 3)
        kill(child.processIdentifier, SIGTERM)
        #expect(Self.wait(child, seconds: 40), "mmetl did not stop within its grace period")
        #expect(child.terminationReason == .exit && child.terminationStatus == 75)
        let conn = try stopped.connect()
        let row = try conn.query("SELECT status, exit_code, error FROM etl.runs ORDER BY run_id DESC LIMIT 1")
        #expect(try row.string(0, "status") == "interrupted")
        #expect(try row.int(0, "exit_code") == 75)
        #expect(try row.string(0, "error")?.contains("SIGTERM") == true)

        let resumed = try CLI.run(args, env: CommandLineTests.env(stopped))
        #expect(resumed.code == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(try CommandLineTests.factsChecksum(stopped) == CommandLineTests.factsChecksum(reference))
    }

    @Test func aKilledRunIsShownAndThenMarkedAbandoned() throws {
        let db = try TestDatabase.migrated(label: "e2e_abandon")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "2", "--templates", "12", "--latency-ms", "40"])
        defer { sim.stop() }
        let p = try CommandLineTests.pipeline(sim)
        let args = ["backfill", "--pipeline", p, "--from", "2026-11-01", "--to", "2026-11-19", "--chunk-days", "2"]
        let (child, _) = try CLI.start(args, env: CommandLineTests.env(db))
        try Self.waitForChunks(db, atLeast: 1)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let conn = try db.connect()
        #expect(try conn.query("SELECT status FROM etl.runs ORDER BY run_id LIMIT 1").string(0, 0) == "running")
        let status = try CLI.run(["status", "--pipeline", p], env: CommandLineTests.env(db))
        #expect(status.stdout.contains("abandoned"), "\(status.stdout)")
        #expect(try CLI.run(args, env: CommandLineTests.env(db)).code == 0)
        let first = try conn.query("SELECT status, error FROM etl.runs ORDER BY run_id LIMIT 1")
        #expect(try first.string(0, "status") == "abandoned")
        #expect(try first.string(0, "error")?.contains("abandoned") == true)
    }

    @Test func aTerminatedSendLogLoadFromStdinLeavesNoTempFileAndLoadsNothingPartial() throws {
        let db = try TestDatabase.migrated(label: "e2e_term_sendlog")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "1"])
        defer { sim.stop() }
        let p = try CommandLineTests.pipeline(sim)
        let tmp = NSTemporaryDirectory() + "mmetl-tmp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }

        let child = Process()
        child.executableURL = URL(fileURLWithPath: CLI.binary)
        child.arguments = ["sendlog", "load", "--pipeline", p, "-"]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in CommandLineTests.env(db) { env[k] = v }
        env["TMPDIR"] = tmp
        child.environment = env
        let input = Pipe()
        child.standardInput = input
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        // Half a file of sends with recipients' numbers, then the writer stalls (a slow upstream).
        for i in 0..<2000 {
            input.fileHandleForWriting.write(Data(#"{"kind":"send","wamid":"wamid.T\#(i)","sent_at":"2026-11-20T10:00:00Z","waba_id":"1","recipient":"+4915112\#(String(format: "%05d", i))"}"#.utf8 + [0x0A]))
        }
        // The copy of stdin is unlinked as soon as it is created: no name on disk, even mid-spool.
        for _ in 0..<20 {
            usleep(50_000)
            #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
        }
        #expect(child.isRunning)
        kill(child.processIdentifier, SIGTERM)
        #expect(Self.wait(child, seconds: 40), "sendlog load did not stop within its grace period")
        try? input.fileHandleForWriting.close()
        #expect(child.terminationStatus == 75)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "the stdin copy (phone numbers) was left behind")
        #expect(try db.connect().query("SELECT count(*) FROM sendlog.messages").string(0, 0) == "0")
    }
}
