import Synchronization

/// Computed pricing data points per query (without the cursor), so paging through a year of
/// pricing computes it once, not once per page. Small and wholesale-evicted: it only has to
/// outlive one client's walk through the pages.
final class PricingCache: Sendable {
    private let entries = Mutex<[String: [PricingAnalyticsEndpoint.Point]]>([:])
    let capacity: Int

    init(capacity: Int = 32) { self.capacity = capacity }

    func points(for key: String, compute: () -> [PricingAnalyticsEndpoint.Point]) -> [PricingAnalyticsEndpoint.Point] {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let value = compute()
        entries.withLock { e in
            if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            e[key] = value
        }
        return value
    }
}
