import Foundation
import Synchronization

/// Sliding-window request counts behind `X-Business-Use-Case-Usage` (per WABA or business id)
/// and `X-App-Usage` (all requests).
final class UsageTracker: Sendable {
    private struct Window {
        var times: [Double] = []
        var head = 0
        mutating func record(_ now: Double, window: Double) -> Int {
            times.append(now)
            prune(now, window: window)
            return times.count - head
        }
        mutating func prune(_ now: Double, window: Double) {
            while head < times.count, times[head] <= now - window { head += 1 }
            if head > 4096, head * 2 > times.count {
                times.removeFirst(head)
                head = 0
            }
        }
        var oldest: Double? { head < times.count ? times[head] : nil }
    }

    private struct State {
        var perKey: [String: Window] = [:]
        var app = Window()
    }

    struct Usage {
        /// Requests for this key in the window, this one included.
        let count: Int
        /// Percent of the budget, capped at 100.
        let percent: Int
        let appPercent: Int
        /// Minutes until the oldest request leaves the window (for real throttling).
        let regainMinutes: Int
        var exceeded: Bool
    }

    private let state = Mutex(State())
    let budget: Int
    let window: Double
    let appBudget: Int

    init(budgetPerKey: Int, windowSeconds: Int, keys: Int, appBudget: Int? = nil) {
        budget = max(1, budgetPerKey)
        window = Double(max(1, windowSeconds))
        self.appBudget = max(1, appBudget ?? budget * max(1, keys))
    }

    private static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    func record(key: String?) -> Usage {
        let t = Self.now()
        return state.withLock { s in
            let app = s.app.record(t, window: window)
            let appPct = min(100, app * 100 / appBudget)
            guard let key else { return Usage(count: 0, percent: 0, appPercent: appPct, regainMinutes: 0, exceeded: false) }
            let n = s.perKey[key, default: Window()].record(t, window: window)
            let oldest = s.perKey[key]?.oldest ?? t
            let regain = max(1, Int(((oldest + window - t) / 60).rounded(.up)))
            return Usage(count: n, percent: min(100, n * 100 / budget), appPercent: appPct, regainMinutes: regain,
                         exceeded: n > budget)
        }
    }

    func reset() { state.withLock { $0 = State() } }
}
