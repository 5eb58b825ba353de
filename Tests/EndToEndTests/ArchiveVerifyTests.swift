import ArchiveGzip
import Foundation
import MMCore
import MMTestSupport
import Testing

/// `mmetl archive verify` names every missing, corrupt and unlisted file, and repairs the manifest.
@Suite(.serialized) struct ArchiveVerifyTests {
    @Test func aFlippedByteADeletedFileAndAnUnlistedFileAreEachNamed() throws {
        let db = try TestDatabase.migrated(label: "e2e_verify")
        defer { try? db.drop() }
        let sim = try SimulatorProcess.start(["--wabas", "1", "--templates", "12"])
        defer { sim.stop() }
        let p = try CommandLineTests.pipeline(sim)
        let env = CommandLineTests.env(db)
        #expect(try CLI.run(["migrate"], env: env).code == 0)
        #expect(try CLI.run(["run", "--pipeline", p, "--as-of", CommandLineTests.asOf], env: env).code == 0)
        let clean = try CLI.run(["archive", "verify", "--pipeline", p], env: env)
        #expect(clean.code == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("missing 0 · corrupt 0 · unlisted 0"))

        let archiveDir = URL(fileURLWithPath: p).deletingLastPathComponent().appendingPathComponent("archive").path
        let paths = try db.connect().query("SELECT path FROM etl.raw_pages WHERE dataset = 'templates' ORDER BY id").map { try $0.string(0) ?? "" }
        #expect(paths.count >= 3)
        // A flipped byte.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archiveDir + "/" + paths[0]))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: archiveDir + "/" + paths[0]))
        // A deleted file.
        try FileManager.default.removeItem(atPath: archiveDir + "/" + paths[1])
        // A run killed between the archive write and the manifest row: a file with no row.
        let store = FileArchiveStore(directory: archiveDir)
        var sidecar = try store.readSidecar(relativePath: paths[2])
        sidecar.request?.fetchID = 424_242   // the fetch of a run that died before recording it
        sidecar.request?.fetchPage = 0
        sidecar.request?.lastOfFetch = false
        let orphan = try store.write(Array(#"{"data":[]}"#.utf8), sidecar: sidecar,
                                     at: ArchiveKey(dataset: "templates", wabaID: sidecar.wabaID, windowStart: sidecar.windowStart, runID: 999, seq: 1))

        let found = try CLI.run(["archive", "verify", "--pipeline", p], env: env)
        #expect(found.code == 1)
        #expect(found.stdout.contains("corrupt \(paths[0]): "))
        #expect(found.stdout.contains("missing \(paths[1]): "))
        #expect(found.stdout.contains("unlisted \(orphan.relativePath): "))
        #expect(found.stdout.contains("missing 1 · corrupt 1 · unlisted 1"))
        // Narrowed to another dataset, nothing is wrong.
        #expect(try CLI.run(["archive", "verify", "--pipeline", p, "--dataset", "pricing"], env: env).code == 0)

        // The unlisted file gets its row, in an incomplete fetch (its run never finished it).
        let repaired = try CLI.run(["archive", "verify", "--pipeline", p, "--repair-manifest"], env: env)
        #expect(repaired.code == 1 && repaired.stdout.contains("manifest rows added 1"))
        let row = try db.connect().query("""
            SELECT p.run_id, f.completed_at IS NULL FROM etl.raw_pages p JOIN etl.fetches f ON f.id = p.fetch_id WHERE p.path = $1
            """, [orphan.relativePath])
        #expect(try row.int64(0, 0) == 999 && row.bool(0, 1) == true)
        let after = try CLI.run(["archive", "verify", "--pipeline", p], env: env)
        #expect(after.stdout.contains("missing 1 · corrupt 1 · unlisted 0"))
    }

    @Test func sidecarsProveAFetchCompleteOnlyWithEveryPageUpToTheLast() {
        func page(_ n: Int, last: Bool = false) -> PageRequest {
            PageRequest(fetchID: 7, fetchPage: n, lastOfFetch: last, requestStart: "2026-11-01", requestEnd: "2026-11-02")
        }
        #expect(ArchiveAudit.provesComplete([page(0), page(1), page(2, last: true)]))
        #expect(!ArchiveAudit.provesComplete([page(0), page(2, last: true)]))
        #expect(!ArchiveAudit.provesComplete([page(0), page(1)]))
        #expect(ArchiveAudit.provesComplete([page(0, last: true)]))
    }
}
