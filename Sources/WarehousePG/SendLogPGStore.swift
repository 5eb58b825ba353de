import Foundation
import Logging
import MMCore

/// `SendLogStore` on PostgreSQL: one transaction per file (COPY into a temporary stage, guarded
/// merges, rejects, the `etl.sendlog_files` row), then the SQL transforms for the affected days.
///
/// Owns one connection; calls block and are serialized by it. Send-log loads take a
/// transaction-scoped advisory lock, so concurrent loads (two processes) run one after the other
/// and a file loaded meanwhile by the other is skipped.
public final class SendLogPGStore: SendLogStore, @unchecked Sendable {
    private let conn: PGConnection
    private let transforms: SendLogTransformRunner
    private let logger: Logger

    /// - Parameters:
    ///   - transformsDirectory: `sql/transforms` (files run in name order).
    ///   - settings: extra `mmetl.*` settings for the transforms, e.g. `mmetl.benchmark_window_days`.
    public init(connection: PGConnection, transformsDirectory: URL, settings: [String: String] = [:], logger: Logger) {
        // The per-file stage is a temporary table: with the default 8 MB of local buffers a large file's
        // stage thrashes (merges ≈ 1.5× slower). Only possible before the session touches a temp table.
        try? connection.execute("SET temp_buffers = '128MB'")
        self.conn = connection
        self.transforms = SendLogTransformRunner(directory: transformsDirectory, settings: settings)
        self.logger = logger
    }

    /// Connects with a libpq URI or conninfo string.
    public convenience init(url: String, transformsDirectory: URL, settings: [String: String] = [:], logger: Logger) throws {
        self.init(connection: try PGConnection(url, logger: logger), transformsDirectory: transformsDirectory,
                  settings: settings, logger: logger)
    }

    public func isLoaded(sha256: String) throws -> Bool {
        try conn.query("SELECT 1 FROM etl.sendlog_files WHERE sha256 = $1", [sha256]).count > 0
    }

    public func load(_ file: SendLogFile, produce: (any SendLogSink) throws -> SendLogFileCounts) throws -> SendLogFileOutcome {
        try conn.transaction { c in
            try c.advisoryTransactionLock(PGAdvisoryKey(name: SendLogMergeSQL.lockName))
            if try isLoaded(sha256: file.sha256) {
                return SendLogFileOutcome(counts: SendLogFileCounts(), newMessages: 0, changedMessages: 0, newStatuses: 0,
                                          affectedDays: nil, skipped: true)
            }
            var clock = StepClock()
            try c.execute(SendLogMergeSQL.createStage)
            var counts = SendLogFileCounts()
            try c.copyIn(sql: SendLogMergeSQL.copyStage) { writer in
                counts = try produce(SendLogCopySink(writer: writer))
            }
            clock.lap("parse+copy")
            try c.execute("ANALYZE sendlog_stage")
            let run: (any PGValue)? = file.runID
            let params: [(any PGValue)?] = [file.sha256, run]
            let sends = try c.query(SendLogMergeSQL.mergeSends, params)
            clock.lap("sends")
            let fromStatuses = try c.query(SendLogMergeSQL.mergeStatusMessages, params)
            clock.lap("status_messages")
            let statuses = try c.query(SendLogMergeSQL.mergeStatuses, [file.sha256])
            clock.lap("statuses")
            let summarized = try c.query(SendLogMergeSQL.summarize).affectedRows ?? 0
            clock.lap("summarize")
            let range = try c.query(SendLogMergeSQL.affectedRange)
            try c.query(SendLogMergeSQL.insertRejects, [file.sha256, file.path])
            try c.query(SendLogMergeSQL.recordFile, [file.sha256, file.path, counts.lines, counts.sends + counts.statuses,
                                                     counts.rejectedLines, run])
            clock.lap("record")
            logger.debug("send log merge steps", metadata: ["path": .string(file.path), "seconds": .string(clock.description)])
            var affected: ClosedRange<Day>?
            if let first = try range.string(0, "first_day").flatMap(Day.init), let last = try range.string(0, "last_day").flatMap(Day.init) {
                affected = (first - 1)...(last + 1)
            }
            let inserted = (try sends.int(0, "inserted") ?? 0) + (try fromStatuses.int(0, "inserted") ?? 0)
            let changed = (try sends.int(0, "updated") ?? 0) + (try fromStatuses.int(0, "updated") ?? 0) + summarized
            return SendLogFileOutcome(counts: counts, newMessages: inserted, changedMessages: changed,
                                      newStatuses: try statuses.int(0, "inserted") ?? 0, affectedDays: affected, skipped: false)
        }
    }

    public func runTransforms(from: Day, to: Day) throws -> [(name: String, seconds: Double)] {
        try transforms.run(on: conn, from: from, to: to, logger: logger)
    }
}

/// Seconds per named step, for the debug log.
private struct StepClock: CustomStringConvertible {
    private var last = ContinuousClock.now
    private var laps: [(String, Double)] = []

    mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        let d = now - last
        laps.append((name, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
        last = now
    }

    var description: String { laps.map { "\($0.0)=\(String(format: "%.2f", $0.1))" }.joined(separator: " ") }
}
