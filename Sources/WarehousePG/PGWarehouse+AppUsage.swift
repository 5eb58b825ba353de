import Foundation
import MMCore

/// `etl.app_usage`: the app usage the shards of a pipeline publish to each other.
extension PGWarehouse: AppUsageBoard {
    public func publishAppUsage(pipeline: String, reporter: String, percent: Int, observedAt: Date) async throws {
        try await withConnection { lease in
            try lease.connection.query("""
                INSERT INTO etl.app_usage (pipeline, reporter, percent, observed_at) VALUES ($1, $2, $3, to_timestamp($4::float8))
                ON CONFLICT (pipeline, reporter) DO UPDATE SET percent = EXCLUDED.percent, observed_at = EXCLUDED.observed_at
                WHERE etl.app_usage.observed_at <= EXCLUDED.observed_at
                """, [pipeline, reporter, percent, observedAt.timeIntervalSince1970])
        }
    }

    public func highestAppUsage(pipeline: String, since: Date) async throws -> Int? {
        try await withConnection { lease in
            try lease.connection.query("""
                SELECT max(percent) AS p FROM etl.app_usage WHERE pipeline = $1 AND observed_at >= to_timestamp($2::float8)
                """, [pipeline, since.timeIntervalSince1970]).int(0, "p")
        }
    }
}
