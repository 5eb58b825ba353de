import Foundation
import MMCore
import MMRuntime
import MMTestSupport
import Testing
import WarehousePG

/// The nightly run end to end: libcurl → simulator on loopback → zlib archive → normalize → real PostgreSQL.
@Suite(.serialized) struct NightlyRunTests {
    static let asOf = "2026-11-24"

    static func simConfig(wabas: Int = 3, templates: Int = 25, faults: [String] = [], token: String? = nil) throws -> SimulatorConfig {
        var c = SimulatorHarness.testConfig(asOf: asOf, wabas: wabas, templates: templates)
        c.days = 40
        c.faults = try faults.map(FaultSpec.parse)
        c.token = token
        c.timeoutHoldSeconds = 30
        return c
    }

    @Test func everyDataPointLoadsExactlyOnceWithTheMinimumOfRequests() async throws {
        let db = try TestDatabase.migrated(label: "nightly")
        defer { try? db.drop() }
        try await withSimulator(try Self.simConfig()) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let start = Day(Self.asOf)! - 29
            let config = try h.config(h.yaml(startDate: start.description))
            let report = try await h.engine(config).run(.nightly(asOf: Day(Self.asOf)), command: "run", argsJSON: "{}")
            #expect(report.verdict.exitCode == 0, "\(report.failed)")
            #expect(report.failed.isEmpty)

            // Exactly once: the loaded sums equal the simulator's truth for every template, day and product.
            var truthSent = 0, truthRows = 0, truthDelivered = 0
            for w in sim.dataset.wabas {
                for t in w.templates {
                    for d in 0..<30 {
                        let day = (start + d).description
                        for p in SimProduct.allCases {
                            if let c = sim.dataset.trueCounts(wabaID: w.id, templateID: t.id, day: day, product: p, asOf: Self.asOf), c.sent > 0 {
                                truthSent += c.sent; truthDelivered += c.delivered; truthRows += 1
                            }
                        }
                    }
                }
            }
            #expect(truthRows > 1000)
            #expect(try h.scalar("SELECT sum(sent)::text FROM mm.fact_template_daily") == String(truthSent))
            #expect(try h.scalar("SELECT sum(delivered)::text FROM mm.fact_template_daily") == String(truthDelivered))
            #expect(try h.scalar("SELECT count(*)::text FROM mm.fact_template_daily") == String(truthRows))
            #expect(try h.scalar("SELECT count(DISTINCT product)::text FROM mm.fact_template_daily") == "2")
            #expect(try h.scalar("SELECT count(*)::text FROM mm.fact_conversions WHERE product = 'cloud_api'") == "0")
            #expect(try Int(h.scalar("SELECT count(*)::text FROM mm.fact_conversions") ?? "0")! > 0)

            // The minimum number of requests: 3 batches of ≤10 templates × 2 product types per WABA,
            // one catalog page, and pricing pages of the maximum size.
            let counts = sim.requestCounts()
            #expect(counts["template_analytics"] == 3 * 3 * 2)
            #expect(counts["message_templates"] == 3)
            #expect(counts["waba"] == 3)
            var pricingMinimum = 0
            for w in sim.wabaIDs {
                let rows = Int(try h.scalar("SELECT count(*)::text FROM mm.fact_pricing WHERE waba_id = '\(w)'") ?? "0")!
                pricingMinimum += max(1, (rows + 499) / 500)
            }
            #expect(counts["pricing_analytics"] == pricingMinimum)
            #expect(counts["token_in_query"] ?? 0 == 0)
            // Everything that was fetched was archived and is in the manifest.
            #expect(try h.scalar("SELECT count(*)::text FROM etl.raw_pages") == String(counts["total"] ?? -1))
            // Watermarks moved to the as-of date in the same transactions.
            #expect(try h.scalar("SELECT count(*)::text FROM etl.watermarks WHERE watermark = '\(Self.asOf)'") == String(3 * 3))
        }
    }

    @Test func aSecondRunChangesNothingAndALaterAsOfRevisesOnlyRecentDays() async throws {
        let db = try TestDatabase.migrated(label: "rerun")
        defer { try? db.drop() }
        try await withSimulator(try Self.simConfig(wabas: 2, templates: 12)) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let config = try h.config(h.yaml(startDate: (Day(Self.asOf)! - 29).description))
            let first = try await h.engine(config).run(.nightly(asOf: Day(Self.asOf)), command: "run", argsJSON: "{}")
            #expect(first.verdict.exitCode == 0)
            let tables = ["mm.fact_template_daily", "mm.fact_pricing", "mm.fact_conversions", "mm.fact_template_clicks"]
            let before = try tables.map { try h.checksum($0) }
            sim.resetCounts()

            let second = try await h.engine(config).run(.nightly(asOf: Day(Self.asOf)), command: "run", argsJSON: "{}")
            #expect(second.verdict.exitCode == 0)
            #expect(second.totals.inserted == 0 && second.totals.updated == 0 && second.totals.revisions == 0)
            #expect(try tables.map { try h.checksum($0) } == before)
            #expect(try h.scalar("SELECT count(*)::text FROM etl.fact_revisions") == "0")
            // Only the settle windows were re-read: template windows of 11 days (settle 10), pricing 8 days.
            #expect(sim.requestCounts()["template_analytics"] == 2 * 2 * 2)

        }
        // Two days later (the simulator's data grows with its as-of): recent days change (late reads,
        // clicks, conversions), older ones do not.
        let later = Day(Self.asOf)! + 2
        var laterConfig = try Self.simConfig(wabas: 2, templates: 12)
        laterConfig.asOf = later.description
        try await withSimulator(laterConfig) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let config = try h.config(h.yaml(startDate: (Day(Self.asOf)! - 29).description))
            let third = try await h.engine(config).run(.nightly(asOf: later), command: "run", argsJSON: "{}")
            #expect(third.verdict.exitCode == 0)
            #expect(third.totals.revisions > 0)
            let oldest = try h.scalar("SELECT min(day)::text FROM etl.fact_revisions WHERE table_name = 'mm.fact_template_daily'")
            #expect(oldest != nil)
            if let oldest, let d = Day(oldest) { #expect(d >= Day(Self.asOf)! - 10) }
            #expect(try Int(h.scalar("SELECT count(*)::text FROM etl.fact_revisions") ?? "0")! > 0)
            // Every revision the run items count is recorded, once.
            #expect(try h.scalar("SELECT sum(cardinality(revision_ids))::text FROM etl.fact_revisions") == String(third.totals.revisions))
            #expect(try h.scalar("SELECT count(DISTINCT revision_id)::text FROM mm.v_fact_revisions") == String(third.totals.revisions))
            #expect(try h.scalar("SELECT count(*)::text FROM mm.fact_template_daily WHERE revision > 0 AND day < '\((Day(Self.asOf)! - 10).description)'") == "0")
            // Days before (as-of − settle days) are final.
            #expect(try h.scalar("SELECT bool_and(is_final)::text FROM mm.fact_template_daily WHERE day < '\((later - 10).description)'") == "true")
            #expect(try h.scalar("SELECT bool_or(is_final)::text FROM mm.fact_template_daily WHERE day >= '\((later - 10).description)'") == "false")
        }
    }
}
