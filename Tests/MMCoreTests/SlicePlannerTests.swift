import Foundation
import Testing
@testable import MMCore

/// The planner decides every difference between the nightly run and a backfill.
@Suite struct SlicePlannerTests {
    static let config = try! PipelineParser.parse("""
        name: p
        start_date: 2026-01-01
        graph: { base_url: "http://127.0.0.1:1", api_version: v25.0, token_env: T }
        archive: { dir: /tmp/x }
        datasets:
          pricing:   { granularity: DAILY, dimensions: [PRICING_CATEGORY], settle_days: 7, max_window_days: 30 }
          templates: { product_types: [MARKETING_MESSAGES_LITE_API], settle_days: 10 }
          catalog:   {}
        wabas:
          - { id: "111" }
        """, file: "p.yaml")
    static let today = Day("2026-11-25")!
    static func waba(_ today: Day = today, insights: Bool? = true) -> SlicePlanner.WABAState {
        SlicePlanner.WABAState(wabaID: "111", localToday: today, insightsEnabled: insights)
    }

    @Test func aFirstNightlyRunStartsAtStartDateClampedToEachDatasetsRetention() {
        let plan = SlicePlanner.plan(Self.config, mode: .nightly(asOf: nil), waba: Self.waba(), ledger: .init())
        #expect(plan.map(\.dataset) == [.catalog, .pricing, .templates])
        #expect(plan[0].window == DayWindow(start: Self.today, end: Self.today))
        // start_date 2026-01-01 is inside pricing's 365 days but beyond templates' 90.
        #expect(plan[1].window == DayWindow(start: Day("2026-01-01")!, end: Self.today))
        #expect(plan[2].window == DayWindow(start: Self.today - 89, end: Self.today))
        #expect(plan.allSatisfy { $0.completion == .advancesWatermark && $0.skip == nil })
        #expect(plan[1].finalBefore == Self.today - 7 && plan[2].finalBefore == Self.today - 10)
    }

    @Test func aLaterNightlyRunRereadsTheSettleWindowFromTheWatermark() {
        let marks = [WatermarkKey(wabaID: "111", dataset: "pricing"): "2026-11-24",
                     WatermarkKey(wabaID: "111", dataset: "templates"): "2026-11-24"]
        let plan = SlicePlanner.plan(Self.config, mode: .nightly(asOf: nil), waba: Self.waba(), ledger: .init(watermarks: marks))
        #expect(plan[1].window == DayWindow(start: Day("2026-11-17")!, end: Self.today))
        #expect(plan[2].window == DayWindow(start: Day("2026-11-14")!, end: Self.today))
    }

    @Test func todayIsEachWABAsOwnUnlessAsOfIsGiven() {
        // The same instant is the 25th in Los Angeles and the 26th in Auckland.
        let instant = Day("2026-11-25")!.epochSecondsUTC + 21 * 3600   // 2026-11-25T21:00:00Z
        let la = TimeZones.localDay(epochSeconds: instant, in: "America/Los_Angeles")
        let nz = TimeZones.localDay(epochSeconds: instant, in: "Pacific/Auckland")
        #expect(la == Day("2026-11-25") && nz == Day("2026-11-26"))
        let a = SlicePlanner.plan(Self.config, mode: .nightly(asOf: nil), waba: Self.waba(la), ledger: .init())
        let b = SlicePlanner.plan(Self.config, mode: .nightly(asOf: nil), waba: Self.waba(nz), ledger: .init())
        #expect(a[1].window.end == la && b[1].window.end == nz)
        let fixed = SlicePlanner.plan(Self.config, mode: .nightly(asOf: Day("2026-11-20")), waba: Self.waba(nz), ledger: .init())
        #expect(fixed[1].window.end == Day("2026-11-20") && fixed[1].finalBefore == Day("2026-11-13"))
    }

    @Test func nothingIsPlannedForADatasetThatIsUpToDate() {
        let marks = [WatermarkKey(wabaID: "111", dataset: "pricing"): "2026-12-31"]
        let plan = SlicePlanner.plan(Self.config, mode: .nightly(asOf: Day("2026-11-01")), waba: Self.waba(), ledger: .init(watermarks: marks))
        #expect(!plan.contains { $0.dataset == .pricing })
    }

    @Test func backfillChunksCompleteTheirLedgerChunkAndResumeSkipsDoneOnes() {
        let range = BackfillRange(from: Day("2026-10-01")!, to: Day("2026-10-20")!, wabas: [], datasets: ["pricing"], chunkDays: 7)
        let first = SlicePlanner.plan(Self.config, mode: .backfill(range), waba: Self.waba(), ledger: .init())
        // A backfill of pricing alone does not read the catalog.
        #expect(first.map(\.dataset) == [.pricing, .pricing, .pricing])
        #expect(first.map(\.window.days) == [7, 7, 6])
        let key = range.key(pipeline: "p")
        #expect(first.allSatisfy { $0.completion == .completesChunk(backfillKey: key) && $0.watermark == nil })
        let done: Set = [first[0].identity(pipeline: "p")]
        let resumed = SlicePlanner.plan(Self.config, mode: .backfill(range), waba: Self.waba(), ledger: .init(completedChunks: done))
        #expect(resumed.map(\.skip) == [.chunkDone, nil, nil])
    }

    @Test func aBackfillOfTemplatesReadsTheCatalogFirstAsOfToday() {
        let range = BackfillRange(from: Day("2026-11-01")!, to: Day("2026-11-10")!, wabas: [], datasets: ["templates"], chunkDays: 90)
        let plan = SlicePlanner.plan(Self.config, mode: .backfill(range), waba: Self.waba(), ledger: .init())
        #expect(plan.map(\.dataset) == [.catalog, .templates])
        #expect(plan[0].window.start == Self.today && plan[0].completion == .none)
        #expect(plan[1].window == DayWindow(start: Day("2026-11-01")!, end: Day("2026-11-10")!))
    }

    @Test func templatesOfAWABAWithoutInsightsArePlannedAsSkipped() {
        let plan = SlicePlanner.plan(Self.config, mode: .nightly(asOf: nil), waba: Self.waba(insights: false), ledger: .init())
        #expect(plan.last?.dataset == .templates && plan.last?.skip == .insightsDisabled)
        #expect(plan.dropLast().allSatisfy { $0.skip == nil })
    }
}

/// Replay loads the latest complete fetch of each window, oldest first.
@Suite struct ReplaySelectionTests {
    static func fetch(_ run: Int64, _ id: Int64?, _ start: String, _ end: String, complete: Bool, waba: String = "1") -> ArchivedFetch {
        let page = RawPageRecord(runID: run, dataset: "pricing", wabaID: waba, windowStart: start, windowEnd: end, page: 0,
                                 archived: ArchivedPage(relativePath: "p/\(run)-\(id ?? 0)", sha256: "", rawBytes: 0, compressedBytes: 0),
                                 httpStatus: 200, fetchedAt: Date(timeIntervalSince1970: Double(run)), fetchID: id)
        return ArchivedFetch(fetchID: id, runID: run, dataset: "pricing", wabaID: waba, windowStart: start, windowEnd: end,
                             complete: complete, pages: [page])
    }

    @Test func anIncompleteFetchIsSkippedInFavourOfTheEarlierCompleteOne() {
        let picked = ReplaySelection.latestComplete([
            Self.fetch(1, nil, "2026-11-01", "2026-11-10", complete: true),   // before fetches were recorded
            Self.fetch(2, 20, "2026-11-01", "2026-11-10", complete: true),
            Self.fetch(3, 30, "2026-11-01", "2026-11-10", complete: false),  // killed
        ])
        #expect(picked.map(\.runID) == [2])
    }

    @Test func overlappingWindowsAreLoadedOldestFirstSoTheNewestWins() {
        let picked = ReplaySelection.latestComplete([
            Self.fetch(5, 50, "2026-11-05", "2026-11-15", complete: true),
            Self.fetch(4, 40, "2026-11-01", "2026-11-10", complete: true),
            Self.fetch(4, 41, "2026-11-01", "2026-11-10", complete: true, waba: "2"),
        ])
        #expect(picked.map(\.fetchID) == [40, 41, 50])
    }

    @Test func aWindowWithOnlyAnIncompleteFetchIsNotReplayed() {
        #expect(ReplaySelection.latestComplete([Self.fetch(3, 30, "2026-11-01", "2026-11-10", complete: false)]).isEmpty)
    }
}
