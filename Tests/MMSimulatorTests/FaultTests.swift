import Foundation
import Testing
@testable import MMSimulator

@Suite struct FaultTests {
    func config(_ faults: String...) throws -> SimulatorConfig {
        var c = testConfig()
        c.faults = try faults.map(FaultSpec.parse)
        return c
    }

    func wabaPath(_ sim: GraphSimulator) -> String { "/v25.0/\(sim.wabaIDs[0])?fields=name,currency" }

    @Test func throttle() async throws {
        try await withSim(try config("throttle:1")) { sim, port in
            let r = try RawHTTP.get(port: port, wabaPath(sim))
            #expect(r.status == 429 && r.errorCode == 80007)
            #expect(errorObject(r)?["is_transient"] as? Bool == true && errorObject(r)?["fbtrace_id"] is String)
            let buc = try JSONSerialization.jsonObject(with: Data(r.headers["x-business-use-case-usage"]!.utf8)) as! [String: Any]
            let entry = (buc[sim.wabaIDs[0]] as! [[String: Any]])[0]
            #expect(entry["call_count"] as? Int == 100 && entry["estimated_time_to_regain_access"] as? Int == 1)
            #expect(entry["type"] as? String == "whatsapp_business_management")
            #expect(sim.requestCounts()["faults"] == 1)
        }
    }

    @Test func serverErrorOnNthRequestOnly() async throws {
        try await withSim(try config("5xx@3", "5xx@4")) { sim, port in
            let statuses = try (1...5).map { _ in try RawHTTP.get(port: port, wabaPath(sim)) }
            #expect(statuses.map(\.status) == [200, 200, 503, 500, 200])
            #expect(statuses[3].errorCode == 2 && errorObject(statuses[3])?["is_transient"] as? Bool == true)
            #expect(statuses[2].headers["content-type"]?.hasPrefix("text/plain") == true)
            #expect(sim.requestCounts()["faults"] == 2 && sim.requestCounts()["fault_5xx"] == 2)
        }
    }

    @Test func rateIsDeterministicShare() async throws {
        func run() async throws -> [Int] {
            try await withSim(try config("throttle:0.3")) { sim, port in
                try (1...40).map { _ in try RawHTTP.get(port: port, wabaPath(sim)).status }
            }
        }
        let a = try await run(), b = try await run()
        #expect(a == b)
        let throttled = a.filter { $0 == 429 }.count
        #expect(throttled >= 4 && throttled <= 24)
    }

    @Test func timeoutHoldsTheRequest() async throws {
        var c = try config("timeout@1")
        c.timeoutHoldSeconds = 30
        try await withSim(c) { sim, port in
            #expect(throws: RawHTTPError.self) { try RawHTTP.get(port: port, wabaPath(sim), timeout: 0.5) }
            let ok = try RawHTTP.get(port: port, wabaPath(sim))
            #expect(ok.status == 200)
        }
        // The hold ends by closing the connection without an answer.
        c.timeoutHoldSeconds = 1
        try await withSim(c) { sim, port in
            let started = Date()
            #expect(throws: RawHTTPError.self) { try RawHTTP.get(port: port, wabaPath(sim), timeout: 5) }
            #expect(Date().timeIntervalSince(started) >= 0.9)
        }
    }

    @Test func truncatedBody() async throws {
        try await withSim(try config("truncated@1")) { sim, port in
            let w = sim.dataset.wabas[0]
            let r = try RawHTTP.get(port: port, templatePath(w.id, w.templates.prefix(5).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 100))
            #expect(r.status == 200 && r.truncated && r.json == nil)
        }
    }

    @Test func malformedBody() async throws {
        try await withSim(try config("malformed@1")) { sim, port in
            let r = try RawHTTP.get(port: port, wabaPath(sim))
            #expect(r.status == 200 && !r.truncated && r.json == nil)
        }
    }

    @Test func tokenFault() async throws {
        try await withSim(try config("token@2")) { sim, port in
            #expect(try RawHTTP.get(port: port, wabaPath(sim)).status == 200)
            let r = try RawHTTP.get(port: port, wabaPath(sim))
            #expect(r.status == 400 && r.errorCode == 190 && errorObject(r)?["type"] as? String == "OAuthException")
        }
    }

    @Test func emptyPageKeepsNextAndLosesNothing() async throws {
        let path: (GraphSimulator) -> String = { sim in
            let w = sim.dataset.wabas[0]
            return templatePath(w.id, w.templates.prefix(10).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 10)
        }
        let clean = try await withSim(testConfig()) { sim, port in try collectTemplatePoints(port: port, path(sim)) }
        try await withSim(try config("emptypage@1", "emptypage@3")) { sim, port in
            let first = try #require(try RawHTTP.get(port: port, path(sim)).json)
            #expect(dataPoints(first).isEmpty)
            let next = (first["paging"] as? [String: Any])?["next"] as? String
            #expect(next != nil)
            let rest = try collectTemplatePoints(port: port, next!)
            #expect(NSArray(array: rest).isEqual(to: clean))
            #expect(sim.requestCounts()["faults"] == 2)
        }
        // Not applicable to a non-paged request: nothing happens and it is not counted.
        try await withSim(try config("emptypage@1")) { sim, port in
            let r = try RawHTTP.get(port: port, wabaPath(sim))
            #expect(r.status == 200)
            #expect(sim.requestCounts()["faults"] == nil)
        }
    }
}
