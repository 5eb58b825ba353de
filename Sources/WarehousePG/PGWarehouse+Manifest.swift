import Foundation
import MMCore

/// The archive manifest: `etl.raw_pages` (one row per archived page, written as soon as the file
/// is durable, in its own statement — never inside a load transaction) and `etl.fetches` (one row
/// per slice fetch, complete once its last page is archived).
extension PGWarehouse {
    public func recordRawPages(_ pages: [RawPageRecord]) async throws {
        guard !pages.isEmpty else { return }
        try await withConnection { lease in
            try lease.connection.transaction { connection in
                for page in pages {
                    try connection.query("""
                        INSERT INTO etl.raw_pages AS p (run_id, dataset, waba_id, window_start, window_end, page, path, sha256,
                            raw_bytes, compressed_bytes, http_status, fetched_at, fetch_id)
                        VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8, $9, $10, $11, to_timestamp($12::float8), $13)
                        ON CONFLICT (path) DO UPDATE SET run_id = EXCLUDED.run_id, dataset = EXCLUDED.dataset,
                            waba_id = EXCLUDED.waba_id, window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
                            page = EXCLUDED.page, sha256 = EXCLUDED.sha256, raw_bytes = EXCLUDED.raw_bytes,
                            compressed_bytes = EXCLUDED.compressed_bytes, http_status = EXCLUDED.http_status,
                            fetched_at = EXCLUDED.fetched_at, fetch_id = EXCLUDED.fetch_id
                        """, [page.runID, page.dataset, page.wabaID, page.windowStart, page.windowEnd, page.page,
                              page.archived.relativePath, page.archived.sha256, page.archived.rawBytes,
                              page.archived.compressedBytes, page.httpStatus, page.fetchedAt.timeIntervalSince1970, page.fetchID])
                }
            }
        }
    }

    /// Manifest rows, oldest fetch first within each (dataset, WABA, window start). An empty
    /// `wabaIDs` means every WABA; a nil `dataset` every dataset.
    public func rawPages(dataset: String?, wabaIDs: [String], from: String, to: String) async throws -> [RawPageRecord] {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                SELECT \(Self.rawPageColumns) FROM etl.raw_pages p
                WHERE ($1::text IS NULL OR dataset = $1) AND (cardinality($2::text[]) = 0 OR waba_id = ANY ($2::text[]))
                  AND window_start BETWEEN $3::date AND $4::date
                ORDER BY dataset, waba_id, window_start, fetched_at, run_id, page
                """, [dataset, PGTextArray(wabaIDs), from, to])
            return try rows.map(Self.rawPage)
        }
    }

    public func beginFetch(runID: Int64, slice: SliceIdentity) async throws -> Int64 {
        try await withConnection { lease in
            let r = try lease.connection.query("""
                INSERT INTO etl.fetches (run_id, dataset, waba_id, window_start, window_end)
                VALUES ($1, $2, $3, $4::date, $5::date) RETURNING id
                """, [runID, slice.dataset, slice.wabaID, slice.windowStart, slice.windowEnd])
            return try r.int64(0, 0) ?? 0
        }
    }

    public func completeFetch(_ fetchID: Int64, pages: Int) async throws {
        try await withConnection { lease in
            try lease.connection.query("UPDATE etl.fetches SET completed_at = now(), pages = $2 WHERE id = $1", [fetchID, pages])
        }
    }

    public func supersedePages(paths: [String]) async throws {
        guard !paths.isEmpty else { return }
        try await withConnection { lease in
            try lease.connection.query("UPDATE etl.raw_pages SET superseded = true WHERE path = ANY ($1::text[])", [PGTextArray(paths)])
        }
    }

    /// Fetches with their pages in order. Rows from before fetches were recorded (`fetch_id` NULL)
    /// form one complete fetch per (run, window); superseded pages are left out.
    public func archivedFetches(dataset: String, wabaIDs: [String], from: String, to: String) async throws -> [ArchivedFetch] {
        try await withConnection { lease in
            let rows = try lease.connection.query("""
                SELECT \(Self.rawPageColumns), f.completed_at IS NOT NULL AS complete,
                       to_char(f.window_start, 'YYYY-MM-DD') AS fetch_start, to_char(f.window_end, 'YYYY-MM-DD') AS fetch_end
                FROM etl.raw_pages p LEFT JOIN etl.fetches f ON f.id = p.fetch_id
                WHERE p.dataset = $1 AND (cardinality($2::text[]) = 0 OR p.waba_id = ANY ($2::text[]))
                  AND coalesce(f.window_start, p.window_start) BETWEEN $3::date AND $4::date AND NOT p.superseded
                ORDER BY p.run_id, p.fetch_id NULLS FIRST, p.waba_id, p.window_start, p.window_end, p.fetched_at, p.page, p.id
                """, [dataset, PGTextArray(wabaIDs), from, to])
            var fetches: [ArchivedFetch] = []
            for i in 0..<rows.count {
                let page = try Self.rawPage(rows[i])
                let complete = try rows.bool(i, "complete") ?? false
                if let last = fetches.last, last.runID == page.runID, last.fetchID == page.fetchID,
                   page.fetchID != nil || (last.wabaID == page.wabaID && last.windowStart == page.windowStart && last.windowEnd == page.windowEnd) {
                    fetches[fetches.count - 1].pages.append(page)
                } else {
                    fetches.append(ArchivedFetch(fetchID: page.fetchID, runID: page.runID, dataset: page.dataset, wabaID: page.wabaID,
                                                 windowStart: try rows[i].string("fetch_start") ?? page.windowStart,
                                                 windowEnd: try rows[i].string("fetch_end") ?? page.windowEnd,
                                                 complete: page.fetchID == nil || complete, pages: [page]))
                }
            }
            return fetches
        }
    }

    static let rawPageColumns = """
        p.run_id, p.dataset, p.waba_id, to_char(p.window_start, 'YYYY-MM-DD') AS window_start,
        to_char(p.window_end, 'YYYY-MM-DD') AS window_end, p.page, p.path, p.sha256, p.raw_bytes, p.compressed_bytes,
        p.http_status, extract(epoch FROM p.fetched_at)::float8 AS fetched_at, p.fetch_id
        """

    static func rawPage(_ row: PGRow) throws -> RawPageRecord {
        RawPageRecord(
            runID: try row.int64("run_id") ?? 0, dataset: try row.string("dataset") ?? "",
            wabaID: try row.string("waba_id") ?? "", windowStart: try row.string("window_start") ?? "",
            windowEnd: try row.string("window_end") ?? "", page: try row.int("page") ?? 0,
            archived: ArchivedPage(relativePath: try row.string("path") ?? "", sha256: try row.string("sha256") ?? "",
                                   rawBytes: try row.int("raw_bytes") ?? 0, compressedBytes: try row.int("compressed_bytes") ?? 0),
            httpStatus: try row.int("http_status") ?? 0,
            fetchedAt: Date(timeIntervalSince1970: try row.double("fetched_at") ?? 0), fetchID: try row.int64("fetch_id"))
    }
}

extension PGWarehouse {
    /// Adds manifest rows for archived files that had none (`archive verify --repair-manifest`).
    /// A page whose sidecar names its fetch joins that fetch (re-created, incomplete, if its row
    /// is gone); a slice page from an older sidecar joins a new incomplete fetch per (run,
    /// dataset, WABA, window); WABA and discovery pages need none. Fetches in `provenComplete` (the
    /// sidecars prove every page present) are marked complete; every other stays as it was, so
    /// replay never trusts a set the files cannot vouch for. One transaction. Returns rows added.
    public func repairManifest(_ pages: [RawPageRecord], provenComplete: Set<Int64>) async throws -> Int {
        try await withConnection { lease in
            try lease.connection.transaction { connection in
                var created: [String: Int64] = [:]
                var added = 0
                for var page in pages {
                    if let id = page.fetchID {
                        try connection.query("""
                            INSERT INTO etl.fetches (id, run_id, dataset, waba_id, window_start, window_end)
                            OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5::date, $6::date) ON CONFLICT (id) DO NOTHING
                            """, [id, page.runID, page.dataset, page.wabaID, page.windowStart, page.windowEnd])
                    } else if Dataset(rawValue: page.dataset) != nil {
                        let key = "\(page.runID)|\(page.dataset)|\(page.wabaID)|\(page.windowStart)|\(page.windowEnd)"
                        if created[key] == nil {
                            created[key] = try connection.query("""
                                INSERT INTO etl.fetches (run_id, dataset, waba_id, window_start, window_end)
                                VALUES ($1, $2, $3, $4::date, $5::date) RETURNING id
                                """, [page.runID, page.dataset, page.wabaID, page.windowStart, page.windowEnd]).int64(0, 0)
                        }
                        page.fetchID = created[key]
                    }
                    let r = try connection.query("""
                        INSERT INTO etl.raw_pages (run_id, dataset, waba_id, window_start, window_end, page, path, sha256,
                            raw_bytes, compressed_bytes, http_status, fetched_at, fetch_id)
                        VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8, $9, $10, $11, to_timestamp($12::float8), $13)
                        ON CONFLICT (path) DO NOTHING
                        """, [page.runID, page.dataset, page.wabaID, page.windowStart, page.windowEnd, page.page,
                              page.archived.relativePath, page.archived.sha256, page.archived.rawBytes,
                              page.archived.compressedBytes, page.httpStatus, page.fetchedAt.timeIntervalSince1970, page.fetchID])
                    added += r.affectedRows ?? 0
                }
                // Keep the identity ahead of any id re-created above.
                try connection.query("SELECT setval(pg_get_serial_sequence('etl.fetches', 'id'), greatest((SELECT max(id) FROM etl.fetches), 1))")
                if !provenComplete.isEmpty {
                    try connection.query("""
                        UPDATE etl.fetches f SET completed_at = now(),
                            pages = (SELECT count(*) FROM etl.raw_pages p WHERE p.fetch_id = f.id AND NOT p.superseded)
                        WHERE f.id = ANY ($1::bigint[]) AND f.completed_at IS NULL
                        """, [PGTextArray(provenComplete.sorted().map(String.init))])
                }
                return added
            }
        }
    }
}

extension PGWarehouse {
    /// Deletes the manifest rows of pruned files (`archive prune --apply`), so that `archive
    /// verify` does not report them missing. Returns rows deleted.
    public func forgetRawPages(paths: [String]) async throws -> Int {
        guard !paths.isEmpty else { return 0 }
        return try await withConnection { lease in
            try lease.connection.query("DELETE FROM etl.raw_pages WHERE path = ANY ($1::text[])", [PGTextArray(paths)]).affectedRows ?? 0
        }
    }
}
