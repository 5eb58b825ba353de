import Foundation
import Logging
import MMBenchmarks
import MMTestSupport
import Testing
import WarehousePG

/// Keeps the loader benchmark runnable. `MMETL_BENCH_ROWS=1000000` (release build:
/// `swift test -c release --filter WarehouseBenchTests`) gives the figures of the report.
@Suite(.serialized) struct WarehouseBenchTests {
    @Test func benchmarkRunsAndReportsEveryPhase() throws {
        let rows = Int(ProcessInfo.processInfo.environment["MMETL_BENCH_ROWS"] ?? "") ?? 20_000
        let db = try TestDatabase.create(label: "wh_bench")
        defer { try? db.drop() }
        try db.migrate()
        let report = try PGWarehouseBench.run(conninfo: db.url, rows: rows, logger: Logger(label: "bench"))
        print(report)
        #expect(report.phases.count == 10)
        #expect(report.phases.allSatisfy { $0.rows == rows && $0.seconds > 0 })
        let db2 = try db.connect()
        #expect(try db2.query("SELECT count(*) FROM mm.fact_pricing").int64(0, 0) == Int64(rows))
        // One revision per changed row, recorded per WABA and day.
        #expect(try db2.query("SELECT sum(cardinality(revision_ids)) FROM etl.fact_revisions").int64(0, 0) == Int64(rows))
        #expect(try db2.query("SELECT count(*) FROM mm.v_fact_revisions").int64(0, 0) == Int64(rows))
    }
}
