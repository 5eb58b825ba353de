import Foundation
import Logging
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// Transforms marked `-- mmetl: runs beside the other transforms` run on a second connection at the
/// same time as the ordered lane; only the shipped files that share no table may carry the mark.
@Suite(.serialized) struct TransformLanesTests {
    private func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mmetl-lanes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func theMarkCountsOnlyInTheLeadingCommentBlock() throws {
        let dir = try folder([
            "10_a.sql": "-- first\nSELECT 1;\n",
            "20_b.sql": "-- second\n-- mmetl: runs beside the other transforms\nSELECT 2;\n",
            "30_c.sql": "-- third\nSELECT 3;\n-- mmetl: runs beside the other transforms\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let lanes = try SendLogTransformRunner(directory: dir, settings: [:]).lanes()
        #expect(lanes.ordered.map(\.lastPathComponent) == ["10_a.sql", "30_c.sql"])
        #expect(lanes.beside.map(\.lastPathComponent) == ["20_b.sql"])
    }

    @Test func aShippedTransformBesideTheOthersSharesNoTableWithThem() throws {
        let dir = TestDatabase.repositoryRoot.appendingPathComponent("sql/transforms")
        let lanes = try SendLogTransformRunner(directory: dir, settings: [:]).lanes()
        #expect(lanes.beside.map(\.lastPathComponent) == ["20_fact_errors.sql", "30_fact_benchmarks.sql"])
        let written = /(?i)(?:INSERT\s+INTO|DELETE\s+FROM|UPDATE|TRUNCATE)\s+((?:mm|sendlog|etl)\.[a-z_]+)/
        func text(_ file: URL) throws -> String {
            // Comments name tables without reading them.
            try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
                .joined(separator: "\n")
        }
        func writes(_ sql: String) -> Set<String> { Set(sql.matches(of: written).map { String($0.1).lowercased() }) }
        for file in lanes.beside {
            let mine = try text(file)
            for other in lanes.ordered {
                let theirs = try text(other)
                for table in writes(theirs) {
                    #expect(!mine.lowercased().contains(table), "\(file.lastPathComponent) reads \(table), which \(other.lastPathComponent) writes")
                }
                for table in writes(mine) {
                    #expect(!theirs.lowercased().contains(table), "\(other.lastPathComponent) reads \(table), which \(file.lastPathComponent) writes")
                }
            }
        }
    }

    /// Two transforms, each recording its backend and sleeping 1.5 s inside its transaction: an
    /// ordered one and one marked to run beside (`besideName`), registered on `h`'s database.
    private func sleepingLanes(_ h: WarehouseHarness, besideName: String) throws -> URL {
        try h.connection.execute("CREATE TABLE mm.t_lane (lane text, pid int, started timestamptz, ended timestamptz)")
        let record = { (lane: String) in
            "INSERT INTO mm.t_lane SELECT '\(lane)', pg_backend_pid(), clock_timestamp(), NULL; SELECT pg_sleep(1.5);"
            + " UPDATE mm.t_lane SET ended = clock_timestamp() WHERE lane = '\(lane)';"
        }
        let dir = try folder([
            "10_ordered.sql": "-- the ordered lane\n" + record("ordered"),
            besideName: "-- mmetl: runs beside the other transforms\n" + record("beside"),
        ])
        try TransformChecksums.register(directory: dir, on: h.connection, logger: nil)
        return dir
    }

    /// The lanes overlapped when each began before the other ended: 1, else 0.
    private static let overlapped = """
        SELECT count(*) FROM mm.t_lane a JOIN mm.t_lane b ON a.lane = 'ordered' AND b.lane = 'beside'
        WHERE a.started < b.ended AND b.started < a.ended
        """

    @Test func theBesideLaneRunsAtTheSameTimeOnItsOwnConnection() async throws {
        let h = try WarehouseHarness("wh_lanes")
        let dir = try sleepingLanes(h, besideName: "30_beside.sql")
        defer { try? FileManager.default.removeItem(at: dir) }
        let warehouse = h.otherWarehouse(transforms: dir)
        defer { warehouse.close() }
        let timings = try await warehouse.runTransforms(from: "2026-11-01", to: "2026-11-07")
        #expect(Set(timings.keys) == ["10_ordered.sql", "30_beside.sql"])
        #expect(try h.int("SELECT count(DISTINCT pid) FROM mm.t_lane") == 2)
        #expect(try h.int(Self.overlapped) == 1)
    }

    @Test func aSendLogLoadRunsTheBesideLaneOnASecondConnectionWhenItHasOne() throws {
        let h = try WarehouseHarness("wh_lanes_sendlog")
        let dir = try sleepingLanes(h, besideName: "20_beside.sql")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Without a second connection: one after the other, on the store's connection.
        let alone = SendLogPGStore(connection: try h.db.connect(), transformsDirectory: dir, logger: Logger(label: "test"))
        #expect(try alone.runTransforms(from: Day("2026-11-01")!, to: Day("2026-11-07")!).map(\.name) == ["10_ordered.sql", "20_beside.sql"])
        #expect(try h.int("SELECT count(DISTINCT pid) FROM mm.t_lane") == 1)
        #expect(try h.int(Self.overlapped) == 0)

        try h.connection.execute("TRUNCATE mm.t_lane")
        let url = h.db.url
        let store = SendLogPGStore(connection: try h.db.connect(), transformsDirectory: dir, logger: Logger(label: "test"),
                                   besideConnection: { try PGConnection(url) })
        #expect(try Set(store.runTransforms(from: Day("2026-11-01")!, to: Day("2026-11-07")!).map(\.name)) == ["10_ordered.sql", "20_beside.sql"])
        #expect(try h.int("SELECT count(DISTINCT pid) FROM mm.t_lane") == 2)
        #expect(try h.int(Self.overlapped) == 1)
    }
}
