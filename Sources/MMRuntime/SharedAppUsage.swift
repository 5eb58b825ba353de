import Foundation
import Logging
import MMCore

/// One app rate limit across shards: a shard publishes the `X-App-Usage` it observes to the
/// board, and reads the highest recent value any shard published, so every shard slows down when
/// one of them sees the app near its limit.
///
/// At most one publish and one read per `interval` (the latest value wins), so the board costs a
/// few small queries a second however many requests are in flight. Observations older than
/// `freshness` are ignored (a finished night's peak does not slow the next). The board failing
/// never fails a request: the shard then relies on its own headers, as an unsharded run does.
public actor SharedAppUsage {
    let board: any AppUsageBoard
    let pipeline: String
    let reporter: String
    let clock: any RuntimeClock
    let logger: Logger
    let interval: TimeInterval
    let freshness: TimeInterval
    private var published: (at: Date, percent: Int)?
    private var cached: (at: Date, percent: Int?)?

    public init(board: any AppUsageBoard, pipeline: String, reporter: String, clock: any RuntimeClock, logger: Logger,
                interval: TimeInterval = 1, freshness: TimeInterval = 300) {
        self.board = board; self.pipeline = pipeline; self.reporter = reporter; self.clock = clock
        self.logger = logger; self.interval = interval; self.freshness = freshness
    }

    /// Publishes this shard's observation (unless it published the same value within `interval`).
    public func observe(_ percent: Int) async {
        let now = clock.now()
        if let p = published, now.timeIntervalSince(p.at) < interval, p.percent >= percent { return }
        published = (now, percent)
        do {
            try await board.publishAppUsage(pipeline: pipeline, reporter: reporter, percent: percent, observedAt: now)
        } catch {
            logger.debug("could not publish the app usage", metadata: ["error": "\(error)"])
        }
    }

    /// The highest app usage any shard published within `freshness`, re-read at most once per `interval`.
    public func highest() async -> Int? {
        let now = clock.now()
        if let c = cached, now.timeIntervalSince(c.at) < interval { return c.percent }
        do {
            let value = try await board.highestAppUsage(pipeline: pipeline, since: now.addingTimeInterval(-freshness))
            cached = (now, value)
            return value
        } catch {
            logger.debug("could not read the shared app usage", metadata: ["error": "\(error)"])
            cached = (now, nil)
            return nil
        }
    }
}
