import Foundation
import Logging
import MMCore

extension PGWarehouse {
    /// The advisory key of a slice's (WABA, dataset) lock: FNV-1a 64 of `SliceIdentity.lockName`.
    public static func sliceLockKey(_ slice: SliceIdentity) -> PGAdvisoryKey { PGAdvisoryKey(name: slice.lockName) }

    /// Loads one slice, all or nothing, in one transaction on a connection of its own:
    ///
    /// 1. (before the transaction) month partitions of the facts the dataset owns for the window
    ///    and a day either side (a day is WABA-local or UTC);
    /// 2. `pg_advisory_xact_lock` on the slice's (WABA, dataset) key — tried first; when another
    ///    session holds it, "waiting for slice lock" is logged and the load blocks until it is free;
    /// 3. the source's pages, each COPYed into the session's staging tables as it comes
    ///    (`SliceStaging`: memory follows the page), with partitions for any staged month still
    ///    missing (rows outside the window: rare);
    /// 4. per fact the dataset owns (or with staged rows): dedup (the later page wins), then insert
    ///    everything when the fact holds no row of the WABA in those days, else update changed rows
    ///    with revisions and insert new ones; finalize settled days of the window (`FactMerge`);
    ///    catalog rows merge into the template dimension (`TemplateCatalogPlan`);
    /// 5. the `etl.run_items` row with the statistics, and the watermark (forward only) or the
    ///    backfill chunk.
    ///
    /// Any error rolls all of it back (a terminated backend too: PostgreSQL aborts the transaction).
    /// Keys may repeat within the source (across pages or within one): the last occurrence wins.
    public func loadSlice(_ load: SliceLoad) async throws -> LoadStats {
        try await withConnection { lease in try self.loadSlice(load, lease: lease).stats }
    }

    /// `loadSlice` with everything it measured (for the benchmark).
    package func loadSlice(_ load: SliceLoad, lease: PGWarehouseConnections.Lease) throws -> MergeOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let connection = lease.connection
        let owned = FactTable.owned(byDataset: load.slice.dataset)
        if let window = Self.paddedWindow(load.slice) {
            for table in owned { _ = try Partitions.ensure(table, from: window.first, to: window.last, on: connection, cache: self) }
        }
        try prepareStaging(lease)

        let context = MergeContext(runID: load.runID, fetchedAt: load.fetchedAt.timeIntervalSince1970,
                                   finalBefore: load.finalBefore, wabaID: load.slice.wabaID,
                                   windowStart: load.slice.windowStart, windowEnd: load.slice.windowEnd)
        let outcome = try connection.transaction { connection in
            try takeSliceLock(load.slice, on: connection)
            try tuneMerge(on: connection)
            let staging = try SliceStaging.stage(load.rows, wabaID: load.slice.wabaID, on: connection)
            var outcome = MergeOutcome()
            for staged in staging.facts where owned.contains(staged.table) || staged.rows > 0 {
                if let days = staged.days {
                    _ = try Partitions.ensure(staged.table, from: days.first, to: days.last, on: connection, cache: self,
                                           remember: false)
                }
                outcome.add(try FactMerge.run(staged, on: connection, context: context))
            }
            if !staging.templates.isEmpty {
                outcome.add(try mergeCatalog(staging.templates, on: connection, context: context))
            }
            outcome.stats.rowsNormalized = staging.rowsNormalized
            outcome.stats.dataPoints = staging.dataPoints
            outcome.stats.diagnostics = staging.diagnostics
            outcome.stats.seconds = Self.seconds(clock.now - start)
            try writeRunItem(load, outcome, on: connection)
            if let watermark = load.advanceWatermarkTo {
                try advanceWatermark(load, to: watermark, on: connection)
            }
            if let backfillKey = load.backfillKey {
                try completeBackfillChunk(load, key: backfillKey, on: connection)
            }
            try assertAlive(load.runID, on: connection)
            return outcome
        }
        var result = outcome
        result.stats.seconds = Self.seconds(clock.now - start)
        let stats = result.stats
        logger.info("loaded slice", metadata: [
            "slice": .string(load.slice.description), "inserted": .stringConvertible(stats.inserted),
            "updated": .stringConvertible(stats.updated), "unchanged": .stringConvertible(stats.unchanged),
            "finalized": .stringConvertible(outcome.finalized), "bytes": .stringConvertible(stats.bytesCopied),
            "seconds": .string(String(format: "%.3f", stats.seconds)),
        ])
        return result
    }

    /// The slice's window widened by a day either side: the days its rows can fall on.
    static func paddedWindow(_ slice: SliceIdentity) -> (first: String, last: String)? {
        guard let start = Day(slice.windowStart), let end = Day(slice.windowEnd), start <= end else { return nil }
        return (Day(ordinal: start.ordinal - 1).description, Day(ordinal: end.ordinal + 1).description)
    }

    /// Creates the session's temporary staging tables once per connection.
    private func prepareStaging(_ lease: PGWarehouseConnections.Lease) throws {
        guard !lease.stagingReady else { return }
        let statements = FactTable.all.map { FactMergePlan($0).createStaging } + [TemplateCatalogPlan.createStaging]
        try lease.connection.execute(statements.joined(separator: ";\n"))
        lease.stagingReady = true
    }

    /// Settings for this transaction's merge statements: memory for hash joins of a large staging
    /// table against the facts; no merge joins (the planner picks them for a presorted primary key,
    /// but sorting a million staged 9-column keys costs more than hashing them); no JIT (compiling
    /// the wide merge statements costs more than it saves at these sizes); statistics of the
    /// staging tables from a sample of 3,000 rows (`default_statistics_target` 10: what the merge's
    /// plan depends on, the row count and the keys' distinct counts, needs no more; the default
    /// sample of 30,000 rows took 0.36 s of a 200,000-row slice's ANALYZE, this one 0.04 s).
    private func tuneMerge(on connection: PGConnection) throws {
        try connection.query("""
            SELECT set_config('work_mem', $1, true), set_config('enable_mergejoin', 'off', true),
                   set_config('jit', 'off', true), set_config('default_statistics_target', '10', true)
            """, [mergeWorkMem])
    }

    /// Takes the slice's transaction-level advisory lock, logging when it has to wait.
    private func takeSliceLock(_ slice: SliceIdentity, on connection: PGConnection) throws {
        let key = Self.sliceLockKey(slice)
        if try connection.tryAdvisoryTransactionLock(key) { return }
        logger.info("waiting for slice lock …", metadata: [
            "slice": .string(slice.description), "lock": .string(slice.lockName), "key": .stringConvertible(key.rawValue),
        ])
        try connection.advisoryTransactionLock(key)
    }

    private func mergeCatalog(_ templates: [TemplateRow], on connection: PGConnection, context: MergeContext) throws -> MergeOutcome {
        var outcome = MergeOutcome()
        let copied = try FactMerge.copy(TemplateCatalogPlan.copy, on: connection) { writer in
            try StagingRows.writeTemplates(templates, to: writer)
        }
        let parameters: [(any PGValue)?] = [context.runID, context.fetchedAt]
        let closed = Int64(try connection.query(TemplateCatalogPlan.closeChanged, parameters).affectedRows ?? 0)
        let opened = Int64(try connection.query(TemplateCatalogPlan.openVersions, parameters).affectedRows ?? 0)
        try connection.query(TemplateCatalogPlan.markSeen, parameters)
        outcome.stats.rowsCopied = copied.rows
        outcome.stats.bytesCopied = copied.bytes
        outcome.stats.inserted = opened - closed
        outcome.stats.updated = closed
        outcome.stats.revisions = closed
        outcome.stats.unchanged = Int64(templates.count) - opened
        return outcome
    }

    private func writeRunItem(_ load: SliceLoad, _ outcome: MergeOutcome, on connection: PGConnection) throws {
        let stats = outcome.stats
        let diagnostics = try Self.json(RunItemDiagnostics(dataPoints: Int(stats.dataPoints), diagnostics: stats.diagnostics))
        try connection.query("""
            INSERT INTO etl.run_items AS i (run_id, waba_id, dataset, window_start, window_end, status, attempts, api_calls,
                pages, rows_inserted, rows_updated, rows_unchanged, revisions, bytes_copied, rows_copied, rows_finalized,
                seconds, diagnostics, error, started_at, fetched_at, finished_at)
            VALUES ($1, $2, $3, $4::date, $5::date, 'succeeded', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                $16::numeric, $17::jsonb, NULL, to_timestamp($18::float8), to_timestamp($19::float8), clock_timestamp())
            ON CONFLICT (run_id, waba_id, dataset, window_start) DO UPDATE SET
                window_end = EXCLUDED.window_end, status = EXCLUDED.status, attempts = EXCLUDED.attempts,
                api_calls = EXCLUDED.api_calls, pages = EXCLUDED.pages, rows_inserted = EXCLUDED.rows_inserted,
                rows_updated = EXCLUDED.rows_updated, rows_unchanged = EXCLUDED.rows_unchanged,
                revisions = EXCLUDED.revisions, bytes_copied = EXCLUDED.bytes_copied, rows_copied = EXCLUDED.rows_copied,
                rows_finalized = EXCLUDED.rows_finalized, seconds = EXCLUDED.seconds, diagnostics = EXCLUDED.diagnostics,
                error = NULL, started_at = EXCLUDED.started_at, fetched_at = EXCLUDED.fetched_at,
                finished_at = EXCLUDED.finished_at
            """, [
                load.runID, load.slice.wabaID, load.slice.dataset, load.slice.windowStart, load.slice.windowEnd,
                load.attempts, load.apiCalls, load.pages, stats.inserted, stats.updated, stats.unchanged,
                stats.revisions, stats.bytesCopied, stats.rowsCopied, outcome.finalized,
                String(format: "%.6f", stats.seconds), diagnostics,
                load.startedAt.timeIntervalSince1970, load.fetchedAt.timeIntervalSince1970,
            ])
    }

    /// Moves the nightly watermark forward only (an older value leaves the row untouched).
    private func advanceWatermark(_ load: SliceLoad, to watermark: String, on connection: PGConnection) throws {
        try connection.query("""
            INSERT INTO etl.watermarks AS w (pipeline, waba_id, dataset, watermark, updated_at, run_id)
            VALUES ($1, $2, $3, $4::date, now(), $5)
            ON CONFLICT (pipeline, waba_id, dataset) DO UPDATE
            SET watermark = GREATEST(w.watermark, EXCLUDED.watermark), updated_at = EXCLUDED.updated_at, run_id = EXCLUDED.run_id
            WHERE EXCLUDED.watermark > w.watermark
            """, [load.slice.pipeline, load.slice.wabaID, load.slice.dataset, watermark, load.runID])
    }

    /// Marks the backfill chunk of this slice done (the ledger a re-run resumes from).
    private func completeBackfillChunk(_ load: SliceLoad, key: String, on connection: PGConnection) throws {
        try connection.query("""
            INSERT INTO etl.backfill_chunks AS c (pipeline, backfill_key, waba_id, dataset, chunk_start, chunk_end, status,
                run_id, error, finished_at)
            VALUES ($1, $2, $3, $4, $5::date, $6::date, 'succeeded', $7, NULL, clock_timestamp())
            ON CONFLICT (backfill_key, waba_id, dataset, chunk_start) DO UPDATE
            SET pipeline = EXCLUDED.pipeline, chunk_end = EXCLUDED.chunk_end, status = 'succeeded',
                run_id = EXCLUDED.run_id, error = NULL, finished_at = EXCLUDED.finished_at
            """, [load.slice.pipeline, key, load.slice.wabaID, load.slice.dataset, load.slice.windowStart,
                  load.slice.windowEnd, load.runID])
    }

    package static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// `etl.run_items.diagnostics` of a loaded slice.
struct RunItemDiagnostics: Encodable {
    var dataPoints: Int
    var diagnostics: [Diagnostic]

    enum CodingKeys: String, CodingKey {
        case dataPoints = "data_points"
        case diagnostics
    }
}
