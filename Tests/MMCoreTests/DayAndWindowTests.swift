import Testing
@testable import MMCore

@Suite struct DayAndWindowTests {
    @Test func dayRoundTripsAndRejectsImpossibleDates() {
        #expect(Day("2026-02-29") == nil)
        #expect(Day("2024-02-29")?.description == "2024-02-29")
        #expect(Day("2026-13-01") == nil)
        #expect(Day("26-01-01") == nil)
        #expect(Day("1970-01-01")?.ordinal == 0)
        #expect(Day("2026-11-25")! + 7 == Day("2026-12-02"))
        #expect(Day(epochSecondsUTC: 1_748_761_200).description == "2025-06-01")
        #expect(Day(epochSecondsUTC: -1).description == "1969-12-31")
        #expect(Day("2026-12-15")!.nextMonthStart == Day("2027-01-01"))
    }

    @Test func nightlyWindowStartsSettleDaysBeforeTheWatermark() {
        let w = WindowPlanner.nightly(dataset: "pricing", watermark: Day("2026-11-20"), startDate: nil, settleDays: 7, asOf: Day("2026-11-25")!)
        #expect(w == DayWindow(start: Day("2026-11-13")!, end: Day("2026-11-25")!))
    }

    @Test func firstRunIsClampedToRetention() {
        let asOf = Day("2026-11-25")!
        let t = WindowPlanner.nightly(dataset: "templates", watermark: nil, startDate: Day("2026-01-01"), settleDays: 10, asOf: asOf)!
        #expect(t.start == asOf - 89)
        #expect(t.days == 90)
        let p = WindowPlanner.nightly(dataset: "pricing", watermark: nil, startDate: Day("2020-01-01"), settleDays: 7, asOf: asOf)!
        #expect(p.days == 365)
        let c = WindowPlanner.nightly(dataset: "catalog", watermark: nil, startDate: nil, settleDays: 0, asOf: asOf)!
        #expect(c.days == 1)
    }

    @Test func splitsAndHalvesCoverEveryDayOnce() {
        let w = DayWindow(start: Day("2026-01-01")!, end: Day("2026-03-31")!)
        let parts = w.split(maxDays: 31)
        #expect(parts.map(\.days).reduce(0, +) == w.days)
        #expect(parts.first?.start == w.start && parts.last?.end == w.end)
        for (a, b) in zip(parts, parts.dropFirst()) { #expect(a.end + 1 == b.start) }
        let (x, y) = w.halves()!
        #expect(x.days + y.days == w.days && x.end + 1 == y.start)
        #expect(DayWindow(start: w.start, end: w.start).halves() == nil)
        #expect(WindowPlanner.backfill(from: Day("2026-11-01")!, to: Day("2026-11-20")!, chunkDays: 7).map(\.days) == [7, 7, 6])
    }

    @Test func templateBatchesHoldAtMostTenIds() {
        let ids = (1...25).map(String.init) + ["3"]
        let batches = TemplateBatching.batches(ids)
        #expect(batches.map(\.count) == [10, 10, 5])
        #expect(Set(batches.flatMap { $0 }).count == 25)
    }

    @Test func localMidnightFollowsTheWABATimezone() {
        // 2025-06-01 00:00 in Los Angeles (PDT) is 07:00 UTC: the reference's bucket start.
        #expect(TimeZones.localMidnight(Day("2025-06-01")!, in: "America/Los_Angeles") == 1_748_761_200)
        #expect(TimeZones.localDay(epochSeconds: 1_748_761_200, in: "America/Los_Angeles") == Day("2025-06-01"))
        #expect(TimeZones.localDay(epochSeconds: 1_748_761_200, in: "UTC") == Day("2025-06-01"))
        // A DST change day: 2026-03-08 starts at 08:00 UTC (PST) in Los Angeles.
        #expect(TimeZones.localMidnight(Day("2026-03-08")!, in: "America/Los_Angeles") == Day("2026-03-08")!.epochSecondsUTC + 8 * 3600)
        #expect(TimeZones.resolve(override: nil, echoed: nil, metaID: "1") == ("America/Los_Angeles", "table"))
        #expect(TimeZones.resolve(override: "Europe/Berlin", echoed: nil, metaID: "1") == ("Europe/Berlin", "pipeline"))
        #expect(TimeZones.resolve(override: nil, echoed: nil, metaID: "99999") == ("UTC", "utc-fallback"))
    }
}
