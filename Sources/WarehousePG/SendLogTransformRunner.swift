import Foundation
import Logging
import MMCore

/// Runs `sql/transforms/*.sql` for a day range: each file in name order, in its own transaction,
/// after `set_config('mmetl.from'|'mmetl.to', 'YYYY-MM-DD', true)` (and any extra settings), so a
/// file reads its range with `current_setting('mmetl.from')::date` and deletes-and-inserts it.
/// Each file must be the version `mmetl migrate` registered (`TransformChecksums`).
///
/// A file whose first comment block holds the line `-- mmetl: runs beside the other transforms`
/// reads no table another transform writes (and writes none another reads): `lanes()` puts it in a
/// second lane that may run at the same time as the others, on a connection of its own.
struct SendLogTransformRunner: Sendable {
    static let besideMarker = "-- mmetl: runs beside the other transforms"

    let directory: URL
    let settings: [String: String]

    /// The transform files, in the order they run.
    func files() throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The files split into the ordered lane and the lane that runs beside it (each in name order).
    func lanes() throws -> (ordered: [URL], beside: [URL]) {
        var ordered: [URL] = [], beside: [URL] = []
        for file in try files() {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            let header = text.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("--") }
            if header.contains(where: { $0.trimmingCharacters(in: .whitespaces) == Self.besideMarker }) {
                beside.append(file)
            } else {
                ordered.append(file)
            }
        }
        return (ordered, beside)
    }

    /// Runs every file (or `only` these), in name order, on `conn`.
    func run(on conn: PGConnection, from: Day, to: Day, logger: Logger, only: [URL]? = nil) throws -> [(name: String, seconds: Double)] {
        var timings: [(name: String, seconds: Double)] = []
        let all = ["mmetl.from": from.description, "mmetl.to": to.description].merging(settings) { a, _ in a }
        for file in try only ?? files() {
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
