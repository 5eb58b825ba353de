import Foundation
import MMCore
import MMRuntime
import MMSimulator
import MMTestSupport
import Testing

/// A hostile Graph API: paging to a foreign host, paging forever, a gzip bomb, an oversize page.
/// Each ends the affected slices with a terminal error (exit 1), sends nothing anywhere else,
/// and a re-run without the fault loads everything.
@Suite(.serialized) struct HostileAPITests {
    func run(fault: String, extraGraph: String = "", simTweak: (inout SimulatorConfig) -> Void = { _ in },
             check: (RunReport, RuntimeHarness) async throws -> Void) async throws {
        let db = try TestDatabase.migrated(label: "hostile")
        defer { try? db.drop() }
        var config = try NightlyRunTests.simConfig(wabas: 1, templates: 4, faults: [fault])
        simTweak(&config)
        try await withSimulator(config) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let yaml = h.yaml(startDate: (Day(NightlyRunTests.asOf)! - 3).description, extraGraph: extraGraph)
            let report = try await h.engine(try h.config(yaml)).run(.nightly(asOf: Day(NightlyRunTests.asOf)), command: "run", argsJSON: "{}")
            try await check(report, h)
        }
    }

    @Test func pagingToAForeignHostSendsItNothing() async throws {
        // The "foreign host" is a second simulator on another loopback port: it counts every request.
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 1, templates: 1)) { foreign in
            try await run(fault: "foreignnext", simTweak: { $0.foreignBaseURL = foreign.baseURL }) { report, _ in
                #expect(report.verdict.exitCode == 1, "\(report.failed)")
                #expect(!report.failed.isEmpty && report.failed.allSatisfy { $0.failureClass == .terminal })
                #expect(report.failed.contains { $0.error.contains("refused to follow a paging URL to host \"127.0.0.1\"") }, "\(report.failed)")
                #expect((foreign.requestCounts()["total"] ?? 0) == 0, "the foreign host was called: \(foreign.requestCounts())")
            }
        }
    }

    @Test func endlessPagingStopsAtThePageCap() async throws {
        try await run(fault: "endless", extraGraph: "  max_pages: 25") { report, h in
            #expect(report.verdict.exitCode == 1, "\(report.failed)")
            #expect(report.failed.contains { $0.error.contains("over 25 pages") }, "\(report.failed)")
            // Catalog (1 call) stops after 25 pages, and nothing else could run on it.
            #expect((h.sim.requestCounts()["total"] ?? 0) < 200)
        }
    }

    @Test func aGzipBombIsRefusedAtTheBodyCap() async throws {
        try await run(fault: "bomb", extraGraph: "  max_body_megabytes: 1", simTweak: { $0.bombBytes = 48 << 20 }) { report, _ in
            #expect(report.verdict.exitCode == 1, "\(report.failed)")
            #expect(report.failed.contains { $0.error.contains("response too large") }, "\(report.failed)")
        }
    }

    @Test func anOversizePageIsRefusedAndTheRerunLoads() async throws {
        try await run(fault: "oversize", extraGraph: "  max_body_megabytes: 1", simTweak: { $0.oversizeBytes = 3 << 20 }) { report, h in
            #expect(report.verdict.exitCode == 1, "\(report.failed)")
            #expect(report.failed.allSatisfy { $0.failureClass == .terminal })
            let pricingRows = try h.scalar("SELECT count(*) FROM mm.fact_pricing")
            #expect(pricingRows == "0")
        }
    }
}

/// Discovery that finds no WABA is a failure (exit 1) naming the business, not a quiet success.
@Suite struct EmptyDiscoveryTests {
    @Test func aDiscoveryThatFindsNothingFailsNamingTheBusiness() async throws {
        let db = try TestDatabase.migrated(label: "nodisc")
        defer { try? db.drop() }
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 1, templates: 2)) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            // With one WABA, the simulator's client edge is empty (only every third WABA is client-owned).
            var yaml = h.yaml(startDate: (Day(NightlyRunTests.asOf)! - 2).description)
            yaml = String(yaml[..<yaml.range(of: "wabas:")!.lowerBound])
                + "discover: { business_id: \"\(sim.config.businessID)\", edges: [client_whatsapp_business_accounts] }\n"
            let engine = h.engine(try h.config(yaml))
            do {
                let report = try await engine.run(.nightly(asOf: Day(NightlyRunTests.asOf)), command: "run", argsJSON: "{}")
                Issue.record("an empty discovery must not end as success: \(report.verdict)")
            } catch let e as RuntimeError {
                #expect(e.failureClass == .terminal)
                #expect(e.description.contains("discovery found no WABA under business \(sim.config.businessID)"))
                #expect(try h.scalar("SELECT status || ':' || exit_code FROM etl.runs") == "failed:1")
            }
        }
    }
}
