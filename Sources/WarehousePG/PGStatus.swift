import Foundation
import MMCore

/// Read-only views of the ledger for `mmetl status`: last runs and per-(WABA, dataset) lag.
public struct PGStatus: Sendable {
    public struct RunLine: Sendable {
        public var runID: Int64
        public var command: String
        public var status: String
        public var exitCode: Int?
        public var startedAt: String
        public var seconds: Double?
        public var apiCalls: Int
        public var rowsLoaded: Int64
        public var error: String?
        /// The mmetl that ran (`etl.runs.mmetl_version`); nil for runs recorded before it was kept.
        public var version: String?
    }
    public struct WatermarkLine: Sendable {
        public var wabaID: String
        public var dataset: String
        public var watermark: String
        public var updatedAt: String
        /// Hours since the watermark was last moved.
        public var lagHours: Double
        public var lastError: String?
    }

    let connection: PGConnection
    public init(connection: PGConnection) { self.connection = connection }

    /// The latest `limit` runs of `pipeline` (all pipelines when nil).
    public func lastRuns(pipeline: String?, limit: Int = 10) throws -> [RunLine] {
        try runLines(where: "$1::text IS NULL OR pipeline = $1 ORDER BY run_id DESC LIMIT $2", [pipeline, String(limit)])
    }

    /// One run by id.
    public func run(_ runID: Int64) throws -> RunLine? {
        try runLines(where: "run_id = $1::bigint", [String(runID)]).first
    }

    private func runLines(where clause: String, _ params: [(any PGValue)?]) throws -> [RunLine] {
        let rows = try connection.query("""
            SELECT run_id, command, status, exit_code, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"') AS started,
                   extract(epoch FROM finished_at - started_at)::float8 AS seconds, api_calls, rows_loaded, error, mmetl_version
            FROM etl.runs WHERE \(clause)
            """, params)
        return try (0..<rows.count).map { i in
            let runID = try rows.int64(i, "run_id") ?? 0
            var status = try rows.string(i, "status") ?? ""
            if status == "running", try !isAlive(runID) { status = "abandoned" }   // the next run records it so
            return RunLine(runID: runID, command: try rows.string(i, "command") ?? "",
                    status: status, exitCode: try rows.int(i, "exit_code"),
                    startedAt: try rows.string(i, "started") ?? "", seconds: try rows.double(i, "seconds"),
                    apiCalls: try rows.int(i, "api_calls") ?? 0, rowsLoaded: try rows.int64(i, "rows_loaded") ?? 0,
                    error: try rows.string(i, "error"), version: try rows.string(i, "mmetl_version"))
        }
    }

    /// Whether some session holds the run's liveness lock (see `PGWarehouse+Liveness`); read-only.
    public func isAlive(_ runID: Int64) throws -> Bool {
        let key = PGWarehouse.livenessKey(runID).rawValue
        return try connection.query("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                           AND classid = (($1::bigint >> 32) & 4294967295)::oid AND objid = ($1::bigint & 4294967295)::oid) AS alive
            """, [key]).bool(0, 0) ?? false
    }

    /// Watermarks with their lag (hours since last advanced) and the latest failure of the slice, if newer.
    public func watermarks(pipeline: String?) throws -> [WatermarkLine] {
        let rows = try connection.query("""
            SELECT w.waba_id, w.dataset, w.watermark::text AS watermark,
                   to_char(w.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"') AS updated,
                   extract(epoch FROM now() - w.updated_at)::float8 / 3600 AS lag_hours,
                   (SELECT i.error FROM etl.run_items i
                     WHERE i.waba_id = w.waba_id AND i.dataset = w.dataset AND i.status = 'failed' AND i.finished_at > w.updated_at
                     ORDER BY i.finished_at DESC LIMIT 1) AS last_error
            FROM etl.watermarks w WHERE $1::text IS NULL OR w.pipeline = $1
            ORDER BY w.waba_id, w.dataset
            """, [pipeline])
        return try (0..<rows.count).map { i in
            WatermarkLine(wabaID: try rows.string(i, "waba_id") ?? "", dataset: try rows.string(i, "dataset") ?? "",
                          watermark: try rows.string(i, "watermark") ?? "", updatedAt: try rows.string(i, "updated") ?? "",
                          lagHours: try rows.double(i, "lag_hours") ?? 0, lastError: try rows.string(i, "last_error"))
        }
    }
}

extension PGStatus {
    /// Current templates per WABA from the catalog dimension (empty when the table is not there yet).
    /// The timezone each known WABA was last loaded with (for `--dry-run`'s per-WABA today).
    public func wabaTimezones() -> [String: String] {
        guard let rows = try? connection.query("SELECT waba_id, timezone FROM mm.dim_waba") else { return [:] }
        var out: [String: String] = [:]
        for row in rows { if let w = try? row.string("waba_id"), let tz = try? row.string("timezone") { out[w] = tz } }
        return out
    }

    public func templateCounts() -> [String: Int] {
        guard let rows = try? connection.query("SELECT waba_id, count(*)::int AS n FROM mm.dim_template WHERE is_current GROUP BY waba_id") else { return [:] }
        var out: [String: Int] = [:]
        for i in 0..<rows.count { if let w = try? rows.string(i, "waba_id"), let n = try? rows.int(i, "n") { out[w ?? ""] = n ?? 0 } }
        return out
    }
}
