import Foundation

/// Where the shards of a pipeline publish the app usage (`X-App-Usage`) they observe, so all of
/// them slow down together when it passes the threshold. Business-use-case usage is per WABA and
/// the shards' WABAs are disjoint, so only the app's usage is shared.
public protocol AppUsageBoard: Sendable {
    /// Records `percent` as `reporter`'s latest observation (replacing its previous one).
    func publishAppUsage(pipeline: String, reporter: String, percent: Int, observedAt: Date) async throws
    /// The highest percentage any reporter of `pipeline` observed at or after `since`; nil when none.
    func highestAppUsage(pipeline: String, since: Date) async throws -> Int?
}
