import Foundation
import Logging
import MMCore

/// Runs `sql/transforms/*.sql` for a day range: each file in name order, in its own transaction,
/// after `set_config('mmetl.from'|'mmetl.to', 'YYYY-MM-DD', true)` (and any extra settings), so a
/// file reads its range with `current_setting('mmetl.from')::date` and deletes-and-inserts it.
/// Each file must be the version `mmetl migrate` registered (`TransformChecksums`).
struct SendLogTransformRunner: Sendable {
    let directory: URL
    let settings: [String: String]

    /// The transform files, in the order they run.
    func files() throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { directory.appendingPathComponent($0) }
    }

    func run(on conn: PGConnection, from: Day, to: Day, logger: Logger) throws -> [(name: String, seconds: Double)] {
        var timings: [(name: String, seconds: Double)] = []
        let all = ["mmetl.from": from.description, "mmetl.to": to.description].merging(settings) { a, _ in a }
        for file in try files() {
            guard let data = FileManager.default.contents(atPath: file.path), let sql = String(data: data, encoding: .utf8) else {
                throw MigrationDirectoryError.unreadable(file.path)
            }
            try TransformChecksums.verify(name: file.lastPathComponent, data: data, on: conn)
            let start = ContinuousClock.now
            try conn.transaction { c in
                // Two processes (a nightly run and a backfill, or a send-log load) may transform
                // overlapping days: each file's delete-and-insert runs under its own lock.
                try c.advisoryTransactionLock(PGAdvisoryKey(name: "mmetl.transform:\(file.lastPathComponent)"))
                for (name, value) in all.sorted(by: { $0.key < $1.key }) {
                    try c.query("SELECT set_config($1, $2, true)", [name, value])
                }
                try c.execute(sql)
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            logger.debug("transform done", metadata: ["file": .string(file.lastPathComponent), "seconds": .stringConvertible(seconds),
                                                      "from": .string(from.description), "to": .string(to.description)])
            timings.append((file.lastPathComponent, seconds))
        }
        return timings
    }
}
