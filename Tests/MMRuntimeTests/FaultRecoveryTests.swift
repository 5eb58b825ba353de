import Foundation
import MMCore
import MMRuntime
import MMTestSupport
import Testing

/// Faults injected by the simulator recover with the right waits (virtual clock) or end with the
/// documented exit codes.
@Suite(.serialized) struct FaultRecoveryTests {
    func run(faults: [String], simToken: String? = nil, engineToken: String = "test-token", maxWait: Int = 3600,
             check: (RunReport, RuntimeHarness) throws -> Void) async throws {
        let db = try TestDatabase.migrated(label: "faults")
        defer { try? db.drop() }
        try await withSimulator(try NightlyRunTests.simConfig(wabas: 2, templates: 8, faults: faults, token: simToken)) { sim in
            let h = try RuntimeHarness(sim: sim, db: db)
            let yaml = h.yaml(startDate: (Day(NightlyRunTests.asOf)! - 5).description).replacingOccurrences(of: "max_wait_seconds: 3600", with: "max_wait_seconds: \(maxWait)")
            let report = try await h.engine(try h.config(yaml), token: engineToken).run(.nightly(asOf: Day(NightlyRunTests.asOf)), command: "run", argsJSON: "{}")
            try check(report, h)
        }
    }

    @Test func throttlingWaitsTheTimeToRegainAccessThenSucceeds() async throws {
        try await run(faults: ["throttle@5"]) { report, h in
            #expect(report.verdict.exitCode == 0, "\(report.failed)")
            #expect(report.counters.throttleWaits == 1)
            #expect(h.clock.sleeps.contains { $0 >= .seconds(60) })
        }
    }

    @Test func serverErrorsTruncationAndMalformedBodiesAreRetried() async throws {
        try await run(faults: ["5xx@3", "truncated@6", "malformed@9", "emptypage@11"]) { report, h in
            #expect(report.verdict.exitCode == 0, "\(report.failed)")
            #expect(report.counters.retries == 3)
            #expect(h.clock.sleeps.count >= 3)
        }
    }

    @Test func aTimeoutIsRetried() async throws {
        try await run(faults: ["timeout@4"]) { report, _ in
            #expect(report.verdict.exitCode == 0, "\(report.failed)")
            #expect(report.counters.retries == 1)
        }
    }

    @Test func aRejectedTokenEndsAsAnAuthFailure() async throws {
        try await run(faults: [], simToken: "the-right-token", engineToken: "a-wrong-token") { report, _ in
            #expect(report.verdict.exitCode == 77)
            #expect(report.failed.allSatisfy { $0.failureClass == .auth })
            #expect(report.failed.allSatisfy { !$0.error.contains("a-wrong-token") })
        }
    }

    @Test func throttlingForeverEndsAsTemporary() async throws {
        try await run(faults: ["throttle:1"], maxWait: 100) { report, _ in
            #expect(report.verdict.exitCode == 75)
        }
    }

    @Test func oneWABAFailingIsPartial() async throws {
        // A malformed body on the very first request (one WABA's fields) with no wait budget left
        // fails that WABA; the other one loads.
        try await run(faults: ["malformed@1"], maxWait: 0) { report, _ in
            #expect(report.verdict.exitCode == 3, "\(report.failed)")
            #expect(!report.loaded.isEmpty && !report.failed.isEmpty)
        }
    }
}
