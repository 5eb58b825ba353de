/// A window of WABA-local days, both ends inclusive.
public struct DayWindow: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: Day
    public var end: Day
    public init(start: Day, end: Day) { self.start = start; self.end = end }
    public var days: Int { start.distance(to: end) + 1 }
    public var description: String { "\(start)…\(end)" }

    /// Consecutive windows of at most `maxDays` covering this one.
    public func split(maxDays: Int) -> [DayWindow] {
        precondition(maxDays >= 1)
        var out: [DayWindow] = []
        var s = start
        while s <= end {
            let e = min(end, s + (maxDays - 1))
            out.append(DayWindow(start: s, end: e))
            s = e + 1
        }
        return out
    }
    /// Halves a window (for an error-100 retry); nil for a single day.
    public func halves() -> (DayWindow, DayWindow)? {
        guard days > 1 else { return nil }
        let mid = start + (days / 2 - 1)
        return (DayWindow(start: start, end: mid), DayWindow(start: mid + 1, end: end))
    }
}

/// Plans windows for the nightly run and backfills. Pure.
public enum WindowPlanner {
    /// Earliest day the API still serves for `dataset` as of `asOf` (nil: no limit).
    public static func retentionStart(dataset: String, asOf: Day) -> Day? {
        DatasetName.retentionDays(dataset).map { asOf - ($0 - 1) }
    }

    /// The nightly window: from the watermark minus `settleDays` (or `startDate` on a first run,
    /// else `settleDays` back) to `asOf`, clamped to retention. Nil when nothing is due.
    public static func nightly(dataset: String, watermark: Day?, startDate: Day?, settleDays: Int, asOf: Day) -> DayWindow? {
        if dataset == DatasetName.catalog { return DayWindow(start: asOf, end: asOf) }
        var start: Day
        if let watermark {
            start = watermark - settleDays
        } else {
            start = startDate ?? (asOf - settleDays)
        }
        if let floor = retentionStart(dataset: dataset, asOf: asOf) { start = max(start, floor) }
        guard start <= asOf else { return nil }
        return DayWindow(start: start, end: asOf)
    }

    /// Backfill chunks of `chunkDays` covering [from, to].
    public static func backfill(from: Day, to: Day, chunkDays: Int) -> [DayWindow] {
        guard from <= to else { return [] }
        return DayWindow(start: from, end: to).split(maxDays: chunkDays)
    }
}
