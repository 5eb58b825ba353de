import Foundation
import Logging
import MMCore

/// `SendLogStore` on PostgreSQL: one transaction per file, then the SQL transforms for the affected
/// days. The file's records are folded per message while it is parsed (`SendLogFoldSink`); rejects
/// stream into a temporary stage. When every message is new and resolves to a WABA, the fold's
/// final rows are COPYed into the tables (`SendLogDirectLoad`); otherwise the fold's records join
/// the stage, one row per message is computed from it, one INSERT of new messages, one of statuses,
/// an UPDATE only of stored messages the file names, records of messages whose WABA is unknown go to
/// `etl.sendlog_pending`. Either way: the rejects, the `etl.sendlog_files` row.
///
/// Owns one connection; calls block and are serialized by it. Send-log loads take a
/// transaction-scoped advisory lock, so concurrent loads (two processes) run one after the other
/// and a file loaded meanwhile by the other is skipped.
public final class SendLogPGStore: SendLogStore, @unchecked Sendable {
    private let conn: PGConnection
    private let transforms: SendLogTransformRunner
    private let logger: Logger
    /// Opens the connection of the transforms that run beside the others; nil: they run in name
    /// order on `conn` too.
    private let besideConnection: (@Sendable () throws -> PGConnection)?
    /// New messages from which a load may set the tables' indexes aside (`SendLogBulkLoad`).
    private let bulkLoadMinimumMessages: Int
    /// Bytes of the per-message fold past which it is written into the stage (`SendLogFoldSink`).
    private let foldBudgetBytes: Int
    /// The way the last load that read a file went (for tests; one thread uses a store).
    private(set) var lastWay: Way?

    enum Way { case direct, stage }

    /// - Parameters:
    ///   - transformsDirectory: `sql/transforms` (files run in name order).
    ///   - settings: extra `mmetl.*` settings for the transforms, e.g. `mmetl.benchmark_window_days`.
    ///   - besideConnection: opens a second connection, for the transforms marked to run beside the
    ///     others (`SendLogTransformRunner.lanes()`); nil runs every transform on `connection`.
    ///   - bulkLoadMinimumMessages: nil: `SendLogBulkLoad.minimumMessages` (tests lower it).
    ///   - foldBudgetBytes: nil: `SendLogFoldSink.defaultBudgetBytes` (tests lower it).
    public init(connection: PGConnection, transformsDirectory: URL, settings: [String: String] = [:], logger: Logger,
                besideConnection: (@Sendable () throws -> PGConnection)? = nil, bulkLoadMinimumMessages: Int? = nil,
                foldBudgetBytes: Int? = nil) {
        // The per-file stage is a temporary table: with the default 8 MB of local buffers a large file's
        // stage thrashes (merges ≈ 1.5× slower). Only possible before the session touches a temp table.
        try? connection.execute("SET temp_buffers = '128MB'")
        self.conn = connection
        self.transforms = SendLogTransformRunner(directory: transformsDirectory, settings: settings)
        self.logger = logger
        self.besideConnection = besideConnection
        self.bulkLoadMinimumMessages = bulkLoadMinimumMessages ?? SendLogBulkLoad.minimumMessages
        self.foldBudgetBytes = foldBudgetBytes ?? SendLogFoldSink.defaultBudgetBytes
    }

    /// Connects with a libpq URI or conninfo string (a second connection for the transforms beside).
    public convenience init(url: String, transformsDirectory: URL, settings: [String: String] = [:], logger: Logger,
                            foldBudgetBytes: Int? = nil) throws {
        self.init(connection: try PGConnection(url, logger: logger), transformsDirectory: transformsDirectory,
                  settings: settings, logger: logger, besideConnection: { try PGConnection(url, logger: logger) },
                  foldBudgetBytes: foldBudgetBytes)
    }

    public func isLoaded(sha256: String) throws -> Bool {
        try conn.query("SELECT 1 FROM etl.sendlog_files WHERE sha256 = $1", [sha256]).count > 0
    }

    public func load(_ file: SendLogFile, produce: (any SendLogSink) throws -> SendLogFileCounts) throws -> SendLogFileOutcome {
        let outcome = try loadFile(file, produce: produce)
        if outcome.newMessages > 0 { refreshStatisticsIfGrownByATenth(newMessages: outcome.newMessages) }
        return outcome
    }

    /// Refreshes the planner's statistics of `sendlog.messages` and `sendlog.statuses` from a small
    /// sample (3,000 rows: `default_statistics_target` 10) through `etl.analyze_sendlog()`, which
    /// runs as the tables' owner (PostgreSQL lets only an owner analyze; a login granted only
    /// `mmetl_loader` may call it), in a transaction of its own after the
    /// load's commit, so the transforms that follow plan their reads of the file's days with the
    /// tables' real size. Only when the load grew the messages by more than a tenth of that estimate
    /// — autovacuum's own threshold, so it refines these statistics soon after. Measured on 1 M new messages in a
    /// fresh warehouse: without statistics the planner took the table for a few thousand rows and
    /// aggregated the days by sorting (`10_fact_sends_daily` 9.9 s, `20_fact_errors` 4.6 s); with
    /// them, by hashing on every core (4.4 s and 2.4 s); the sample takes ≈ 0.15 s. Statistics only
    /// guide plans: when the lock is not granted within a second (a long vacuum holds it) the load
    /// goes on without.
    private func refreshStatisticsIfGrownByATenth(newMessages: Int) {
        do {
            // The planner's row estimate (-1: never analyzed): the load's inserts do not change it,
            // only VACUUM, ANALYZE (autovacuum's too) and CREATE INDEX do.
            let estimated = try conn.query("SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'sendlog.messages'::regclass")
                .double(0, "n") ?? -1
            guard estimated < 0 || Double(newMessages) * 10 > estimated else { return }
            try conn.transaction { c in
                try c.execute("SET LOCAL lock_timeout = '1s'")
                try c.execute("SELECT etl.analyze_sendlog()")  // as the tables' owner (migration 0113)
            }
        } catch {
            logger.debug("send log statistics not refreshed", metadata: ["error": .string(String(describing: error))])
        }
    }

    private func loadFile(_ file: SendLogFile, produce: (any SendLogSink) throws -> SendLogFileCounts) throws -> SendLogFileOutcome {
        try conn.transaction { c in
            try c.advisoryTransactionLock(PGAdvisoryKey(name: SendLogMergeSQL.lockName))
            if try isLoaded(sha256: file.sha256) {
                return SendLogFileOutcome(counts: SendLogFileCounts(), newMessages: 0, changedMessages: 0, newStatuses: 0,
                                          affectedDays: nil, skipped: true)
            }
            var clock = StepClock()
            // The per-message aggregate and the key-order sorts of a large file stay in memory
            // (hashed, or one in-memory sort) instead of spilling to disk.
            try c.execute("SET LOCAL work_mem = '\(SendLogMergeSQL.workMem)'")
            // Compiling these few large statements took 3.5 s of a 1 M-message load and won nothing back.
            try c.execute("SET LOCAL jit = off")
            // The stage's and the per-message rows' ANALYZE sample 3,000 rows, not 30,000: enough
            // for the load's hash joins and aggregates (1 M messages: 1.0 s → 0.1 s).
            try c.execute("SET LOCAL default_statistics_target = 10")
            try c.execute(SendLogMergeSQL.createStage)
            let anyPending = try c.query("SELECT EXISTS (SELECT 1 FROM etl.sendlog_pending) AS any").bool(0, "any") == true
            var counts = SendLogFileCounts()
            var folds: [SendLogFold] = []
            var spilled = false
            var rejects = 0
            try c.copyIn(sql: SendLogMergeSQL.copyStage, format: .binary) { writer in
                let stage = SendLogCopySink(writer: writer)
                let sink = SendLogFoldSink(stage: stage, budgetBytes: foldBudgetBytes)
                counts = try produce(sink)
                folds = sink.takeFolds()
                spilled = sink.spilled
                rejects = stage.rejectsWritten
            }
            clock.lap("parse")
            if !anyPending, !spilled, let direct = try SendLogDirectLoad.plan(folds, on: c) {
                clock.lap("plan")
                lastWay = .direct
                return try loadDirect(direct, file: file, counts: counts, rejects: rejects, clock: &clock, on: c)
            }
            // The stage's way: the fold's records join the stage (with what it spilled, if it did).
            var repeats = (sends: true, statuses: true)
            try c.copyIn(sql: SendLogMergeSQL.copyStage, format: .binary) { writer in
                let stage = SendLogCopySink(writer: writer)
                for fold in folds { try fold.forEachRecord { try stage.write($0, line: $1) } }
                if !spilled { repeats = stage.repeats() }
            }
            folds = []
            lastWay = .stage
            clock.lap("stage")
            let retried = try c.query(SendLogMergeSQL.takePending).affectedRows ?? 0
            if retried > 0 { repeats = (true, true) }  // held records may repeat the file's
            try c.execute("ANALYZE sendlog_stage")
            try c.execute(SendLogMergeSQL.buildMessages(sendsRepeat: repeats.sends))
            try c.execute("ANALYZE sendlog_msg")
            let mc = try c.query(SendLogMergeSQL.messageCounts)
            let stored = try mc.int(0, "stored") ?? 0, unresolved = try mc.int(0, "unresolved") ?? 0
            clock.lap("messages")
            let held = unresolved == 0 ? 0 : try c.query(SendLogMergeSQL.holdUnresolved, [file.sha256]).int(0, "held") ?? 0
            let bulk = try SendLogBulkLoad.begin(on: c, newMessages: (try mc.int(0, "messages") ?? 0) - stored - unresolved,
                                                 storedMessages: stored, minimumMessages: bulkLoadMinimumMessages)
            let run: (any PGValue)? = file.runID
            let inserted = try c.query(bulk == nil ? SendLogWriteSQL.insertNew : SendLogWriteSQL.insertNewUnordered,
                                       [file.sha256, run]).affectedRows ?? 0
            clock.lap("insert_messages")
            // Decided from the data: when none of the file's messages is stored, none of its
            // statuses can be, and there is no stored row to update.
            let newStatuses: Int
            var updated = 0
            if stored == 0 {
                let plain = bulk != nil && !repeats.statuses
                newStatuses = try c.query(plain ? SendLogWriteSQL.insertStatusesBulk : SendLogWriteSQL.insertStatusesNew,
                                          [file.sha256]).affectedRows ?? 0
                clock.lap("insert_statuses")
                if let bulk {
                    for table in bulk { try table.rebuild(on: c, maintenanceWorkMem: SendLogBulkLoad.maintenanceWorkMem) }
                    clock.lap("rebuild_indexes")
                }
            } else {
                newStatuses = try c.query(SendLogWriteSQL.insertStatusesGuarded, [file.sha256]).int(0, "inserted") ?? 0
                clock.lap("insert_statuses")
                updated = try c.query(SendLogWriteSQL.updateStored).int(0, "updated") ?? 0
                clock.lap("update_stored")
            }
            var affected = try Self.days(mc)
            if stored > 0, let touched = try Self.days(c.query(SendLogMergeSQL.touchedRange)) {
                affected = affected.map { min($0.lowerBound, touched.lowerBound)...max($0.upperBound, touched.upperBound) } ?? touched
            }
            if rejects > 0 { try c.query(SendLogMergeSQL.insertRejects, [file.sha256, file.path]) }
            try c.query(SendLogMergeSQL.recordFile, [file.sha256, file.path, counts.lines, counts.sends + counts.statuses,
                                                     counts.rejectedLines, run])
            clock.lap("record")
            logger.debug("send log merge steps", metadata: ["path": .string(file.path), "seconds": .string(clock.description),
                                                            "stored_messages": .stringConvertible(stored),
                                                            "indexes_rebuilt": .stringConvertible(bulk != nil)])
            if held > 0 {
                logger.warning("send log records held: their message's WABA is not known yet", metadata: [
                    "path": .string(file.path), "messages": .stringConvertible(unresolved), "records": .stringConvertible(held),
                    "table": "etl.sendlog_pending"])
            }
            return SendLogFileOutcome(counts: counts, newMessages: inserted, changedMessages: updated, newStatuses: newStatuses,
                                      affectedDays: affected.map { ($0.lowerBound - 1)...($0.upperBound + 1) }, skipped: false,
                                      heldMessages: unresolved, heldRecords: held, retriedRecords: retried)
        }
    }

    /// The direct way (`SendLogDirectLoad`): the fold's rows COPYed into the tables, their indexes
    /// set aside for a large load as on the stage's way.
    private func loadDirect(_ d: SendLogDirectLoad, file: SendLogFile, counts: SendLogFileCounts, rejects: Int,
                            clock: inout StepClock, on c: PGConnection) throws -> SendLogFileOutcome {
        let bulk = try SendLogBulkLoad.begin(on: c, newMessages: d.messageCount, storedMessages: 0,
                                             minimumMessages: bulkLoadMinimumMessages)
        let inserted = try d.copyMessages(on: c, sha256: file.sha256, runID: file.runID, ordered: bulk == nil)
        clock.lap("copy_messages")
        let newStatuses = try d.copyStatuses(on: c, sha256: file.sha256, ordered: bulk == nil)
        clock.lap("copy_statuses")
        if let bulk {
            for table in bulk { try table.rebuild(on: c, maintenanceWorkMem: SendLogBulkLoad.maintenanceWorkMem) }
            clock.lap("rebuild_indexes")
        }
        let run: (any PGValue)? = file.runID
        if rejects > 0 { try c.query(SendLogMergeSQL.insertRejects, [file.sha256, file.path]) }
        try c.query(SendLogMergeSQL.recordFile, [file.sha256, file.path, counts.lines, counts.sends + counts.statuses,
                                                 counts.rejectedLines, run])
        clock.lap("record")
        logger.debug("send log merge steps", metadata: ["path": .string(file.path), "seconds": .string(clock.description),
                                                        "stored_messages": "0", "indexes_rebuilt": .stringConvertible(bulk != nil),
                                                        "way": "direct"])
        return SendLogFileOutcome(counts: counts, newMessages: inserted, changedMessages: 0, newStatuses: newStatuses,
                                  affectedDays: d.days.map { ($0.lowerBound - 1)...($0.upperBound + 1) }, skipped: false)
    }

    /// The `first_day`…`last_day` of a range query, nil when empty.
    private static func days(_ rows: PGRows) throws -> ClosedRange<Day>? {
        guard let first = try rows.string(0, "first_day").flatMap(Day.init), let last = try rows.string(0, "last_day").flatMap(Day.init) else {
            return nil
        }
        return first...last
    }

    /// The transforms in name order on this store's connection, and — with `besideConnection` — the
    /// ones marked to run beside the others at the same time on a second connection (as a run does:
    /// PostgreSQL works on both cores). Both lanes finish; the ordered lane's error is thrown first.
    public func runTransforms(from: Day, to: Day) throws -> [(name: String, seconds: Double)] {
        let lanes = try transforms.lanes()
        guard let besideConnection, !lanes.beside.isEmpty else { return try transforms.run(on: conn, from: from, to: to, logger: logger) }
        let beside = BesideLane()
        let runner = transforms, logger = self.logger
        let thread = Thread {
            beside.finish(Result {
                let c = try besideConnection()
                defer { c.close() }
                return try runner.run(on: c, from: from, to: to, logger: logger, only: lanes.beside)
            })
        }
        thread.name = "mmetl-transforms-beside"
        thread.start()
        let ordered = Result { try transforms.run(on: conn, from: from, to: to, logger: logger, only: lanes.ordered) }
        let other = beside.wait()
        return try ordered.get() + other.get()
    }
}

/// The result of the lane run on another thread, handed over once.
private final class BesideLane: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<[(name: String, seconds: Double)], any Error>?

    func finish(_ r: Result<[(name: String, seconds: Double)], any Error>) {
        condition.withLock { result = r; condition.broadcast() }
    }

    func wait() -> Result<[(name: String, seconds: Double)], any Error> {
        condition.withLock {
            while result == nil { condition.wait() }
            return result!
        }
    }
}
