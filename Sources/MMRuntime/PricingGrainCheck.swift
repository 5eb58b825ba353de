import Foundation
import Logging
import MMCore

/// Before a run loads pricing: compares `datasets.pricing.dimensions` with the grain already
/// loaded for each WABA and says, once per WABA, what changes and which backfill makes the grain
/// whole again. The run goes on (the views read one grain per day, so nothing is counted twice).
enum PricingGrainCheck {
    /// Warnings logged, and the diagnostics they become. A failing query only logs (the check is advisory).
    static func run(config: PipelineConfig, warehouse: any Warehouse, logger: Logger) async -> [Diagnostic] {
        guard let pricing = config.pricing else { return [] }
        do {
            let changes = PricingGrain.changes(loaded: try await warehouse.loadedPricingGrains(granularity: pricing.granularity),
                                               granularity: pricing.granularity, configuredDimensions: pricing.dimensions)
            return changes.map { change in
                logger.warning("\(change)", metadata: ["waba": "\(change.wabaID)"])
                return Diagnostic(kind: .pricingGrainChanged, subject: "waba \(change.wabaID) pricing dimensions",
                                  value: "[\(change.loaded)] → [\(change.configured)]; reload \(change.loadedFrom)…\(change.loadedTo) with a backfill")
            }
        } catch {
            logger.warning("could not compare the pricing grain with what is loaded", metadata: ["error": "\(error)"])
            return []
        }
    }
}
