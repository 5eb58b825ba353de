import Foundation

/// One fetch of a slice as the manifest records it: the pages one run archived for one
/// (dataset, WABA, window), and whether the fetch got to its last page.
public struct ArchivedFetch: Sendable, Hashable {
    /// nil for manifest rows written before fetches were recorded: those were grouped by run, and
    /// were only ever written for a fully fetched slice, so they count as complete.
    public var fetchID: Int64?
    public var runID: Int64
    public var dataset: String
    public var wabaID: String
    public var windowStart: String
    public var windowEnd: String
    /// The last page was archived (a killed or failed fetch stays incomplete).
    public var complete: Bool
    /// Pages in fetch order (superseded pages of a request that was retried differently excluded).
    public var pages: [RawPageRecord]

    public init(fetchID: Int64?, runID: Int64, dataset: String, wabaID: String, windowStart: String, windowEnd: String,
                complete: Bool, pages: [RawPageRecord]) {
        self.fetchID = fetchID; self.runID = runID; self.dataset = dataset; self.wabaID = wabaID
        self.windowStart = windowStart; self.windowEnd = windowEnd; self.complete = complete; self.pages = pages
    }

    public var window: String { "\(windowStart)…\(windowEnd)" }
}

/// Which fetches a replay loads. Pure.
public enum ReplaySelection {
    /// The latest complete fetch of each (dataset, WABA, window) — never a partial one a killed or
    /// failed run left behind — ordered oldest first (by run, then fetch), so that where windows of
    /// different runs overlap, the newest data is loaded last and wins.
    public static func latestComplete(_ fetches: [ArchivedFetch]) -> [ArchivedFetch] {
        var latest: [String: ArchivedFetch] = [:]
        for f in fetches where f.complete && !f.pages.isEmpty {
            let key = "\(f.dataset)|\(f.wabaID)|\(f.windowStart)|\(f.windowEnd)"
            if let seen = latest[key], !isOlder(seen, than: f) { continue }
            latest[key] = f
        }
        return latest.values.sorted { a, b in
            (a.runID, a.fetchID ?? 0, a.wabaID, a.windowStart, a.windowEnd) < (b.runID, b.fetchID ?? 0, b.wabaID, b.windowStart, b.windowEnd)
        }
    }

    private static func isOlder(_ a: ArchivedFetch, than b: ArchivedFetch) -> Bool {
        (a.runID, a.fetchID ?? 0) < (b.runID, b.fetchID ?? 0)
    }
}
