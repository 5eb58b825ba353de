import Foundation
import MMCore

/// `etl.transform_runs`: the ledger of `mmetl transform` (the transforms of a sharded night).
extension PGWarehouse: TransformLedger {
    public func pendingTransform(pipeline: String) async throws -> PendingTransform? {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                WITH last AS (SELECT coalesce(max(through_run_id), 0) AS through FROM etl.transform_runs WHERE pipeline = $1),
                     src AS (SELECT r.run_id FROM etl.runs r, last
                             WHERE r.pipeline = $1 AND r.shard IS NOT NULL AND r.run_id > last.through
                               AND r.command IN ('run', 'backfill'))
                SELECT to_char(min(i.window_start), 'YYYY-MM-DD') AS from_day, to_char(max(i.window_end), 'YYYY-MM-DD') AS to_day,
                       (SELECT max(run_id) FROM src) AS through_run_id,
                       (SELECT string_agg(run_id::text, ',' ORDER BY run_id) FROM src) AS source_runs
                FROM etl.run_items i JOIN src USING (run_id)
                WHERE i.status = 'succeeded' AND i.dataset <> 'catalog'
                """, [pipeline])
            guard let from = try rows.string(0, "from_day"), let to = try rows.string(0, "to_day"),
                  let through = try rows.int64(0, "through_run_id") else { return nil }
            let runs = (try rows.string(0, "source_runs") ?? "").split(separator: ",").compactMap { Int64($0) }
            return PendingTransform(from: from, to: to, sourceRuns: runs, throughRunID: through)
        }
    }

    public func allShardsFinished(pipeline: String, count: Int) async throws -> Bool {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                WITH last AS (SELECT coalesce(max(through_run_id), 0) AS through FROM etl.transform_runs WHERE pipeline = $1)
                SELECT DISTINCT ON (r.shard) r.shard, r.run_id, r.status FROM etl.runs r, last
                WHERE r.pipeline = $1 AND r.shard LIKE '%/' || $2 AND r.run_id > last.through AND r.command IN ('run', 'backfill')
                ORDER BY r.shard, r.run_id DESC
                """, [pipeline, String(count)])
            // A shard that failed, was interrupted or killed will be retried (the Job's backoff):
            // its retry, not this shard, is then the last to finish.
            guard rows.count == count else { return false }
            return try (0..<rows.count).allSatisfy { ["succeeded", "partial"].contains(try rows.string($0, "status") ?? "") }
        }
    }

    public func recordTransform(pipeline: String, runID: Int64, pending: PendingTransform, seconds: [String: Double]) async throws {
        let json = try Self.json(seconds)
        let runs = "{" + pending.sourceRuns.map(String.init).joined(separator: ",") + "}"
        try await withConnection { lease in
            try lease.connection.query("""
                INSERT INTO etl.transform_runs (run_id, pipeline, from_day, to_day, through_run_id, source_runs, seconds)
                VALUES ($1, $2, $3::date, $4::date, $5, $6::bigint[], $7::jsonb)
                """, [runID, pipeline, pending.from, pending.to, pending.throughRunID, runs, json])
        }
    }
}
