import Foundation
import Logging
import MMCore
import WarehousePG

/// Throughput of the fact loader on a migrated, empty database, for `make bench` and reports
/// (not a test: machines are noisy). For `rows` synthetic `mm.fact_pricing` rows it measures:
///
/// - COPY into the session's staging table alone (rolled back);
/// - the first `loadSlice` into the empty fact: COPY + merge (all inserts) + ledger;
/// - the same slice again: every row unchanged;
/// - the slice with every value changed: every row updated, one revision each;
/// - for comparison, `psql \copy` of the same rows (a file written in COPY text) into an empty
///   temporary table and an empty ordinary table, in the same run (skipped without `psql`).
public enum PGWarehouseBench {
    public struct Phase: Sendable, CustomStringConvertible {
        public var name: String
        public var rows: Int
        public var seconds: Double
        public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
        public var description: String {
            name.padding(toLength: 46, withPad: " ", startingAt: 0)
                + String(format: "%9d rows %8.2f s %10.0f rows/s", rows, seconds, rowsPerSecond)
        }
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var rows: Int
        public var copyBytes: Int64
        public var phases: [Phase]
        public var description: String {
            (["fact loader benchmark: \(rows) mm.fact_pricing rows, \(copyBytes / 1_048_576) MiB of COPY text"]
                + phases.map(\.description)).joined(separator: "\n")
        }
    }

    /// Runs the benchmark against `conninfo` (a migrated database whose facts are empty).
    /// - Parameter psqlPath: `psql` for the comparison; nil skips it.
    public static func run(conninfo: String, rows count: Int, psqlPath: String? = "psql", logger: Logger) throws -> Report {
        let warehouse = PGWarehouse(conninfo: conninfo, logger: logger, transformsDirectory: URL(fileURLWithPath: "/nonexistent"))
        defer { warehouse.close() }
        let days = max(1, count / 20_000)
        let rows = pricingRows(count, days: days)
        let window = (rows.first!.day, rows.last!.day)
        var phases: [Phase] = []
        var copyBytes: Int64 = 0

        try warehouse.connections.withLease { lease in
            let connection = lease.connection
            let runID = try connection.query("""
                INSERT INTO etl.runs (pipeline, command, args) VALUES ('bench', 'bench', '{}') RETURNING run_id
                """).int64(0, 0) ?? 0
            func slice(_ rows: [PricingRow]) -> SliceLoad {
                var batch = NormalizedBatch()
                batch.pricing = rows
                return SliceLoad(slice: SliceIdentity(pipeline: "bench", wabaID: rows[0].wabaID, dataset: "pricing",
                                                      windowStart: window.0, windowEnd: window.1),
                                 runID: runID, rows: batch, finalBefore: window.0, advanceWatermarkTo: nil, backfillKey: nil,
                                 apiCalls: 0, pages: 0, attempts: 1, startedAt: Date(), fetchedAt: Date())
            }

            // COPY alone, rolled back.
            let staged = StagingRows.pricing(rows)
            _ = try Partitions.ensure(.pricing, from: staged.days!.first, to: staged.days!.last, on: connection, cache: warehouse)
            try connection.execute(FactMergePlan(.pricing).createStaging)
            try connection.execute("BEGIN")
            let copied = try FactMerge.copy(FactMergePlan(.pricing).copy, on: connection, write: staged.write)
            try connection.execute("ROLLBACK")
            copyBytes = copied.bytes
            phases.append(Phase(name: "COPY into staging (Swift, libpq)", rows: count, seconds: copied.seconds))

            let first = try warehouse.loadSlice(slice(rows), lease: lease)
            phases.append(Phase(name: "load 1: COPY part", rows: count, seconds: first.copySeconds))
            phases.append(Phase(name: "load 1: merge, all new (insert)", rows: count, seconds: first.stats.seconds - first.copySeconds))
            phases.append(Phase(name: "load 1: total", rows: count, seconds: first.stats.seconds))

            let same = try warehouse.loadSlice(slice(rows), lease: lease)
            phases.append(Phase(name: "load 2: merge, all unchanged", rows: count, seconds: same.stats.seconds - same.copySeconds))
            phases.append(Phase(name: "load 2: total", rows: count, seconds: same.stats.seconds))

            let changed = rows.map { row -> PricingRow in
                var row = row
                row.volume += 1
                return row
            }
            let third = try warehouse.loadSlice(slice(changed), lease: lease)
            phases.append(Phase(name: "load 3: merge, all changed (update+revision)", rows: count,
                                seconds: third.stats.seconds - third.copySeconds))
            phases.append(Phase(name: "load 3: total", rows: count, seconds: third.stats.seconds))
        }

        if let psqlPath {
            phases += try psqlCopy(rows, conninfo: conninfo, psql: psqlPath)
        }
        return Report(rows: count, copyBytes: copyBytes, phases: phases)
    }

    /// `count` distinct pricing rows spread over `days` days (keys as the real API forms them).
    static func pricingRows(_ count: Int, days: Int) -> [PricingRow] {
        let start = Day(year: 2026, month: 10, day: 1)
        let perDay = (count + days - 1) / days
        let countries = ["DE", "BR", "IN", "US", "MX", "ID", "GB", "FR", "IT", "ES"]
        let categories = ["MARKETING_LITE", "MARKETING", "UTILITY", "AUTHENTICATION"]
        var rows: [PricingRow] = []
        rows.reserveCapacity(count)
        for index in 0..<count {
            let day = start + index / perDay
            let i = index % perDay
            let bucket = day.epochSecondsUTC + 7 * 3600
            let category = categories[i % 4]
            rows.append(PricingRow(
                wabaID: "102290129340398", granularity: "DAILY", bucketStart: bucket, bucketEnd: bucket + 86_400,
                day: day.description, phoneNumber: "1555\(1_000_000 + i / 40)", country: countries[i % 10],
                pricingCategory: category, pricingType: "REGULAR", tier: "0:\(i / 10 % 4)",
                product: Product.ofPricingCategory(category), volume: Int64(i % 5000),
                cost: i % 7 == 0 ? nil : Decimal(i % 5000) * Decimal(string: "0.0125")!, currency: "USD",
                wabaTimezone: "America/Los_Angeles"))
        }
        return rows
    }

    /// `psql \copy` of the same rows, from a file, into an empty temporary and an empty ordinary table.
    static func psqlCopy(_ rows: [PricingRow], conninfo: String, psql: String) throws -> [Phase] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mmetl-bench-\(UUID().uuidString).copy")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for row in rows {
            // The same encoder as the loader, one row at a time into the file buffer.
            buffer.append(contentsOf: PGCopyText.encodeRow(textFields(row)))
            if buffer.count >= 1 << 20 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        try handle.close()

        let columns = FactTable.pricing.columns.map { "\($0.name) \($0.stagingType)" }.joined(separator: ", ")
        let names = FactTable.pricing.columns.map(\.name).joined(separator: ", ")
        func timed(_ name: String, setup: String) throws -> Phase {
            let clock = ContinuousClock()
            let start = clock.now
            try runPSQL(psql, conninfo: conninfo, commands: [setup, "\\copy bench_copy (\(names)) FROM '\(file.path)'"])
            return Phase(name: name, rows: rows.count, seconds: PGWarehouse.seconds(clock.now - start))
        }
        let temporary = try timed("psql \\copy into an empty temporary table", setup: "CREATE TEMPORARY TABLE bench_copy (\(columns))")
        let ordinary = try timed("psql \\copy into an empty table", setup: "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (\(columns))")
        try runPSQL(psql, conninfo: conninfo, commands: ["DROP TABLE IF EXISTS bench_copy"])
        return [temporary, ordinary]
    }

    private static func textFields(_ r: PricingRow) -> [String?] {
        [r.wabaID, r.granularity, String(r.bucketStart), r.phoneNumber, r.country, r.pricingCategory, r.pricingType, r.tier,
         r.dimensions, r.day, String(r.bucketEnd), r.product.rawValue, String(r.volume), r.cost.map(DecimalText.plain), r.currency, r.wabaTimezone]
    }

    private static func runPSQL(_ psql: String, conninfo: String, commands: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo] + commands.flatMap { ["-c", $0] }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PGError(kind: .usage, message: "psql exited with \(process.terminationStatus)", context: "benchmark psql \\copy")
        }
    }
}
