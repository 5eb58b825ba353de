import Foundation
import MMCore

/// The grain (dimension set) of the pricing rows already loaded, per WABA: `run` and `check`
/// compare it with `datasets.pricing.dimensions` (`PricingGrain.changes`).
extension PGWarehouse {
    /// The latest loaded grain of each WABA at `granularity` (the one last written: highest run id, then
    /// fetch time) and the days it covers.
    public func loadedPricingGrains(granularity: String) async throws -> [LoadedPricingGrain] {
        try await withConnection { lease in try Self.loadedPricingGrains(on: lease.connection, granularity: granularity) }
    }

    /// As `loadedPricingGrains(granularity:)`, on a connection the caller holds.
    public static func loadedPricingGrains(on connection: PGConnection, granularity: String) throws -> [LoadedPricingGrain] {
        let rows = try connection.query("""
            SELECT DISTINCT ON (waba_id) waba_id, dimensions, min(day)::text AS first_day, max(day)::text AS last_day
            FROM mm.fact_pricing
            WHERE upper(granularity) = upper($1)
            GROUP BY waba_id, dimensions
            ORDER BY waba_id, max(run_id) DESC, max(last_fetched_at) DESC, max(day) DESC
            """, [granularity])
        return try (0..<rows.count).map { i in
            LoadedPricingGrain(wabaID: try rows.string(i, "waba_id") ?? "", grain: try rows.string(i, "dimensions") ?? "",
                               firstDay: try rows.string(i, "first_day") ?? "", lastDay: try rows.string(i, "last_day") ?? "")
        }
    }
}
