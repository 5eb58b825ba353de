import Foundation
import MMCore

/// `mmetl status` for sharded pipelines: each shard's last run and the last transform.
extension PGStatus {
    public struct ShardLine: Sendable {
        /// `K/N`.
        public var shard: String
        public var run: RunLine
    }

    /// The latest run of each shard (`etl.runs.shard`) of `pipeline`, for the latest shard count
    /// used (shards of an older N are history), ordered by K.
    public func lastShardRuns(pipeline: String?) throws -> [ShardLine] {
        let rows = try connection.query("""
            WITH latest_n AS (SELECT split_part(shard, '/', 2) AS n FROM etl.runs
                              WHERE shard IS NOT NULL AND ($1::text IS NULL OR pipeline = $1) ORDER BY run_id DESC LIMIT 1)
            SELECT DISTINCT ON (split_part(shard, '/', 1)::int) shard, run_id
            FROM etl.runs, latest_n
            WHERE shard IS NOT NULL AND ($1::text IS NULL OR pipeline = $1) AND split_part(shard, '/', 2) = latest_n.n
            ORDER BY split_part(shard, '/', 1)::int, run_id DESC
            """, [pipeline])
        var lines: [ShardLine] = []
        for i in 0..<rows.count {
            guard let shard = try rows.string(i, "shard"), let id = try rows.int64(i, "run_id"),
                  let run = try self.run(id) else { continue }
            lines.append(ShardLine(shard: shard, run: run))
        }
        return lines
    }

    /// The last recorded `mmetl transform` of `pipeline`: when, and the days it covered.
    public func lastTransform(pipeline: String?) throws -> (finishedAt: String, from: String, to: String, throughRunID: Int64)? {
        let rows = try connection.query("""
            SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"') AS finished,
                   from_day::text AS from_day, to_day::text AS to_day, through_run_id
            FROM etl.transform_runs WHERE $1::text IS NULL OR pipeline = $1 ORDER BY transform_id DESC LIMIT 1
            """, [pipeline])
        guard rows.count > 0, let f = try rows.string(0, "finished"), let a = try rows.string(0, "from_day"),
              let b = try rows.string(0, "to_day"), let t = try rows.int64(0, "through_run_id") else { return nil }
        return (f, a, b, t)
    }
}
