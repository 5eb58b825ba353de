import Foundation
import MMCore

/// The run ledger: `etl.runs`, `etl.run_items` (failures), `etl.watermarks`, `etl.raw_pages`,
/// `etl.backfill_chunks`. Dates travel as `YYYY-MM-DD` text, instants as epoch seconds.
extension PGWarehouse {
    public func beginRun(_ start: RunStart) async throws -> Int64 {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                INSERT INTO etl.runs (pipeline, command, args, as_of, status, started_at, mmetl_version)
                VALUES ($1, $2, $3::jsonb, $4::date, 'running', to_timestamp($5::float8), $6)
                RETURNING run_id
                """, [start.pipeline, start.command, start.argsJSON, start.asOf, start.startedAt.timeIntervalSince1970,
                      self.programVersion])
            guard let runID = try rows.int64(0, "run_id") else {
                throw PGError(kind: .decode, message: "INSERT … RETURNING run_id returned no id", context: "beginning a run")
            }
            return runID
        }
    }

    public func finishRun(_ runID: Int64, _ outcome: RunOutcome) async throws {
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

    public func recordRawPages(_ pages: [RawPageRecord]) async throws {
        guard !pages.isEmpty else { return }
        try await withConnection { lease in
            try lease.connection.transaction { connection in
                for page in pages {
                    try connection.query("""
                        INSERT INTO etl.raw_pages AS p (run_id, dataset, waba_id, window_start, window_end, page, path, sha256,
                            raw_bytes, compressed_bytes, http_status, fetched_at)
                        VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8, $9, $10, $11, to_timestamp($12::float8))
                        ON CONFLICT (path) DO UPDATE SET run_id = EXCLUDED.run_id, dataset = EXCLUDED.dataset,
                            waba_id = EXCLUDED.waba_id, window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
                            page = EXCLUDED.page, sha256 = EXCLUDED.sha256, raw_bytes = EXCLUDED.raw_bytes,
                            compressed_bytes = EXCLUDED.compressed_bytes, http_status = EXCLUDED.http_status,
                            fetched_at = EXCLUDED.fetched_at
                        """, [page.runID, page.dataset, page.wabaID, page.windowStart, page.windowEnd, page.page,
                              page.archived.relativePath, page.archived.sha256, page.archived.rawBytes,
                              page.archived.compressedBytes, page.httpStatus, page.fetchedAt.timeIntervalSince1970])
                }
            }
        }
    }

    /// Manifest rows for replay, oldest fetch first within each (dataset, WABA, window start), so a
    /// replay that loads them in order ends with the latest fetch of every window. An empty
    /// `wabaIDs` means every WABA.
    public func rawPages(dataset: String?, wabaIDs: [String], from: String, to: String) async throws -> [RawPageRecord] {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                SELECT run_id, dataset, waba_id, to_char(window_start, 'YYYY-MM-DD') AS window_start,
                       to_char(window_end, 'YYYY-MM-DD') AS window_end, page, path, sha256, raw_bytes, compressed_bytes,
                       http_status, extract(epoch FROM fetched_at)::float8 AS fetched_at
                FROM etl.raw_pages
                WHERE ($1::text IS NULL OR dataset = $1) AND (cardinality($2::text[]) = 0 OR waba_id = ANY ($2::text[]))
                  AND window_start BETWEEN $3::date AND $4::date
                ORDER BY dataset, waba_id, window_start, fetched_at, run_id, page
                """, [dataset, PGTextArray(wabaIDs), from, to])
            return try rows.map { row in
                RawPageRecord(
                    runID: try row.int64("run_id") ?? 0, dataset: try row.string("dataset") ?? "",
                    wabaID: try row.string("waba_id") ?? "", windowStart: try row.string("window_start") ?? "",
                    windowEnd: try row.string("window_end") ?? "", page: try row.int("page") ?? 0,
                    archived: ArchivedPage(relativePath: try row.string("path") ?? "", sha256: try row.string("sha256") ?? "",
                                           rawBytes: try row.int("raw_bytes") ?? 0,
                                           compressedBytes: try row.int("compressed_bytes") ?? 0),
                    httpStatus: try row.int("http_status") ?? 0,
                    fetchedAt: Date(timeIntervalSince1970: try row.double("fetched_at") ?? 0))
            }
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
