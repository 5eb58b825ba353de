import Foundation
import MMCore
import Synchronization

/// The in-memory twin of `AppUsageBoard` (tests, tools): the same contract, in one process.
public final class InMemoryAppUsageBoard: AppUsageBoard, Sendable {
    private let rows = Mutex<[String: [String: (percent: Int, at: Date)]]>([:])
    public init() {}

    public func publishAppUsage(pipeline: String, reporter: String, percent: Int, observedAt: Date) async throws {
        rows.withLock { r in
            if let old = r[pipeline]?[reporter], old.at > observedAt { return }
            r[pipeline, default: [:]][reporter] = (percent, observedAt)
        }
    }

    public func highestAppUsage(pipeline: String, since: Date) async throws -> Int? {
        rows.withLock { $0[pipeline]?.values.filter { $0.at >= since }.map(\.percent).max() }
    }

    /// Every reporter's latest value for `pipeline`.
    public func values(pipeline: String) -> [String: Int] {
        rows.withLock { ($0[pipeline] ?? [:]).mapValues(\.percent) }
    }
}
