import Foundation
import MMCore

/// The run ledger: `etl.runs`, `etl.run_items` (failures), `etl.watermarks`, `etl.raw_pages`,
/// `etl.backfill_chunks`. Dates travel as `YYYY-MM-DD` text, instants as epoch seconds.
extension PGWarehouse {
    /// Inserts the run's row (after marking abandoned runs whose process died) and takes the run's
    /// liveness lock, held until `finishRun` (see `PGWarehouse+Liveness`).
    public func beginRun(_ start: RunStart) async throws -> Int64 {
        try await offload { try self.beginLiveRun(start) }
    }

    public func finishRun(_ runID: Int64, _ outcome: RunOutcome) async throws {
        defer { endLiveness(runID) }
        let diagnostics = try Self.json(outcome.diagnostics)
        try await withConnection { lease in
            try lease.connection.query("""
                UPDATE etl.runs SET status = $2, exit_code = $3, api_calls = $4, throttle_waits = $5,
                    throttle_wait_seconds = $6::numeric, bytes_archived = $7, rows_loaded = $8, diagnostics = $9::jsonb,
                    error = $10, finished_at = to_timestamp($11::float8)
                WHERE run_id = $1
                """, [runID, outcome.status, outcome.exitCode, outcome.apiCalls, outcome.throttleWaits,
                      String(format: "%.3f", outcome.throttleWaitSeconds), outcome.bytesArchived, outcome.rowsLoaded,
                      diagnostics, outcome.error, outcome.finishedAt.timeIntervalSince1970])
        }
    }

    public func watermarks(pipeline: String) async throws -> [WatermarkKey: String] {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                SELECT waba_id, dataset, to_char(watermark, 'YYYY-MM-DD') AS watermark
                FROM etl.watermarks WHERE pipeline = $1
                """, [pipeline])
            var result: [WatermarkKey: String] = [:]
            for row in rows {
                result[WatermarkKey(wabaID: try row.string("waba_id") ?? "", dataset: try row.string("dataset") ?? "")] =
                    try row.string("watermark")
            }
            return result
        }
    }

    /// Records a failed slice. A slice that already succeeded in the same run keeps its row.
    public func recordFailedItem(_ item: FailedItem) async throws {
        let diagnostics = try Self.json(["failure_class": item.failureClass.rawValue])
        try await withConnection { lease in
            try lease.connection.query("""
                INSERT INTO etl.run_items AS i (run_id, waba_id, dataset, window_start, window_end, status, attempts,
                    api_calls, diagnostics, error, started_at, finished_at)
                VALUES ($1, $2, $3, $4::date, $5::date, 'failed', $6, $7, $8::jsonb, $9, to_timestamp($10::float8),
                    to_timestamp($11::float8))
                ON CONFLICT (run_id, waba_id, dataset, window_start) DO UPDATE
                SET window_end = EXCLUDED.window_end, status = 'failed', attempts = EXCLUDED.attempts,
                    api_calls = EXCLUDED.api_calls, diagnostics = EXCLUDED.diagnostics, error = EXCLUDED.error,
                    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at
                WHERE i.status <> 'succeeded'
                """, [item.runID, item.slice.wabaID, item.slice.dataset, item.slice.windowStart, item.slice.windowEnd,
                      item.attempts, item.apiCalls, diagnostics, item.error, item.startedAt.timeIntervalSince1970,
                      item.finishedAt.timeIntervalSince1970])
        }
    }

    public func completedBackfillChunks(backfillKey: String) async throws -> Set<SliceIdentity> {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                SELECT pipeline, waba_id, dataset, to_char(chunk_start, 'YYYY-MM-DD') AS chunk_start,
                       to_char(chunk_end, 'YYYY-MM-DD') AS chunk_end
                FROM etl.backfill_chunks WHERE backfill_key = $1 AND status = 'succeeded'
                """, [backfillKey])
            return Set(try rows.map { row in
                SliceIdentity(pipeline: try row.string("pipeline") ?? "", wabaID: try row.string("waba_id") ?? "",
                              dataset: try row.string("dataset") ?? "", windowStart: try row.string("chunk_start") ?? "",
                              windowEnd: try row.string("chunk_end") ?? "")
            })
        }
    }
}
