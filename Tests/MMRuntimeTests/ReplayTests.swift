import Foundation
import MMCore
import MMRuntime
import MMTestSupport
import Testing

/// Replay rebuilds identical facts from the archive alone, and refuses a tampered file.
@Suite(.serialized) struct ReplayTests {
    static let valueTables = ["mm.fact_template_daily", "mm.fact_pricing", "mm.fact_conversions", "mm.fact_template_clicks"]
    static let bookkeeping = ["run_id", "first_fetched_at", "last_fetched_at", "is_final", "revision"]

    @Test func replayAfterTruncateReproducesTheFactsWithoutTheAPI() async throws {
        let db = try TestDatabase.migrated(label: "replay")
        defer { try? db.drop() }
        let asOf = Day(NightlyRunTests.asOf)!
        var harness: RuntimeHarness?
        var config: PipelineConfig?
        var before: [String] = []
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 2, templates: 12)) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let c = try h.config(h.yaml(startDate: (asOf - 20).description))
            let r = try await h.engine(c).run(.nightly(asOf: asOf), command: "run", argsJSON: "{}")
            #expect(r.verdict.exitCode == 0)
            before = try Self.valueTables.map { try h.checksum($0, excluding: Self.bookkeeping) }
            harness = h; config = c
        }
        // The simulator is stopped now: any API call would fail.
        let h = try #require(harness), c = try #require(config)
        try db.connect().execute("TRUNCATE " + Self.valueTables.joined(separator: ", "))
        #expect(try h.scalar("SELECT count(*)::text FROM mm.fact_template_daily") == "0")
        let replay = Replay(config: c, archive: h.archive, warehouse: h.warehouse, clock: h.clock, logger: RuntimeHarness.logger)
        let report = try await replay.run(from: asOf - 30, to: asOf, wabas: [], datasets: [], argsJSON: "{}")
        #expect(report.verdict.exitCode == 0, "\(report.failed)")
        #expect(try Self.valueTables.map { try h.checksum($0, excluding: Self.bookkeeping) } == before)

        // A flipped byte in one archived page: that slice is skipped whole, the run fails (exit 1).
        let conn = try db.connect()
        let path = try #require(try conn.query("SELECT path FROM etl.raw_pages WHERE dataset = 'templates' ORDER BY id LIMIT 1").string(0, 0))
        let file = h.archiveDir + "/" + path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: file))
        try conn.execute("TRUNCATE mm.fact_template_daily")
        let tampered = try await replay.run(from: asOf - 30, to: asOf, wabas: [], datasets: ["templates"], argsJSON: "{}")
        #expect(tampered.verdict.exitCode == 1)
        #expect(tampered.failed.count == 1)
        #expect(tampered.failed.first?.error.contains(path) == true)
        let wabaOfBad = try #require(try conn.query("SELECT waba_id FROM etl.raw_pages WHERE path = $1", [path]).string(0, 0))
        #expect(try h.scalar("SELECT count(*)::text FROM mm.fact_template_daily WHERE waba_id = '\(wabaOfBad)'") == "0")
        #expect(try Int(h.scalar("SELECT count(*)::text FROM mm.fact_template_daily") ?? "0")! > 0)
    }

    @Test func archiveFilesAreReadableWithZcatAndHoldNoToken() async throws {
        let db = try TestDatabase.migrated(label: "zcat")
        defer { try? db.drop() }
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 1, templates: 3)) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let c = try h.config(h.yaml(startDate: (Day(NightlyRunTests.asOf)! - 3).description))
            _ = try await h.engine(c, token: "EAAsupersecrettoken123456789").run(.nightly(asOf: Day(NightlyRunTests.asOf)), command: "run", argsJSON: "{}")
            let path = try #require(try h.scalar("SELECT path FROM etl.raw_pages WHERE dataset = 'pricing' LIMIT 1"))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "zcat '\(h.archiveDir)/\(path)' | head -c 200; grep -rl EAAsupersecret '\(h.archiveDir)' | wc -l"]
            let pipe = Pipe(); p.standardOutput = pipe
            try p.run(); p.waitUntilExit()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(out.contains("\"data\""))
            #expect(out.hasSuffix("0\n"))
            #expect(try h.scalar("SELECT count(*)::text FROM etl.raw_pages WHERE sha256 !~ '^[0-9a-f]{64}$'") == "0")
        }
    }
}
