import Foundation
import MMCore
import MMRuntime
import MMSimulator
import MMTestSupport
import Testing

/// One app rate limit across shards: shards publish the `X-App-Usage` they observe and slow down
/// on the highest any of them saw. The simulator tracks app usage across all its clients.
@Suite(.serialized) struct SharedAppUsageTests {
    static let asOf = Day(NightlyRunTests.asOf)!

    @Test func threeShardsSlowDownTogetherWhenTheAppNearsItsLimit() async throws {
        let db = try TestDatabase.migrated(label: "app_usage3")
        defer { try? db.drop() }
        var config = try NightlyRunTests.simConfig(wabas: 9, templates: 3)
        config.appBudget = 5   // requests of all clients together: past 80 % after the first four
        try await withSimulator(config) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let pipeline = try h.config(h.yaml(startDate: (Self.asOf - 3).description))
            let reports = try await withThrowingTaskGroup(of: RunReport.self) { group in
                for k in 1...3 {
                    var engine = h.engine(pipeline)
                    engine.shard = Shard(index: k, count: 3)
                    let runner = engine
                    group.addTask { try await runner.run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for r in reports {
                #expect(r.verdict.exitCode == 0, "\(r.failed)")
                #expect(r.counters.slowdowns > 0, "shard \(r.shard ?? "?") never slowed down in \(r.counters.apiCalls) calls")
                #expect(r.counters.throttleWaits == 0)
            }
            // Each shard published what it saw; the board holds all three, past the threshold.
            #expect(try h.scalar("SELECT count(*) FROM etl.app_usage WHERE pipeline = 't' AND percent >= 80") == "3")
        }
    }

    @Test func aShardSlowsDownOnAppUsageAnotherShardPublished() async throws {
        let db = try TestDatabase.migrated(label: "app_usage1")
        defer { try? db.drop() }
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 2, templates: 4)) { sim in
            // Its own responses report almost no app usage.
            let h = try RuntimeHarness(sim: sim, db: db)
            let pipeline = try h.config(h.yaml(startDate: (Self.asOf - 3).description))
            func run(_ board: InMemoryAppUsageBoard) async throws -> RunReport {
                var engine = h.engine(pipeline)
                engine.shard = Shard(index: 1, count: 1)
                engine.appUsageBoard = board
                return try await engine.run(.nightly(asOf: Self.asOf), command: "run", argsJSON: "{}")
            }
            let quiet = InMemoryAppUsageBoard()
            let alone = try await run(quiet)
            #expect(alone.counters.slowdowns == 0)
            #expect((quiet.values(pipeline: "t")["1/1"] ?? 100) < 80)

            let busy = InMemoryAppUsageBoard()
            try await busy.publishAppUsage(pipeline: "t", reporter: "another shard", percent: 95, observedAt: h.clock.now())
            let slowed = try await run(busy)
            #expect(slowed.verdict.exitCode == 0)
            #expect(slowed.counters.slowdowns > 0)
            // The pause of 95 % usage at an 80 % threshold: 1 s + 15/20 × 59 s.
            #expect(h.clock.sleeps.contains(.milliseconds(45_250)))
            // The wait budget stays per run: slowing down is not a throttle wait.
            #expect(slowed.counters.throttleWaits == 0)
        }
    }
}
