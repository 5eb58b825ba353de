import Foundation
import Testing
@testable import MMSimulator

@Suite struct ServerBehaviourTests {
    @Test func tokenCheck() async throws {
        var c = testConfig()
        c.token = "secret"
        try await withSim(c) { sim, port in
            let path = "/v25.0/\(sim.wabaIDs[0])"
            let missing = try RawHTTP.get(port: port, path, token: nil)
            #expect(missing.status == 400 && missing.errorCode == 104)
            let wrong = try RawHTTP.get(port: port, path, token: "nope")
            #expect(wrong.status == 400 && wrong.errorCode == 190)
            #expect(errorObject(wrong)?["message"] as? String == "Invalid OAuth access token - Cannot parse access token")
            #expect(try RawHTTP.get(port: port, path, token: "secret").status == 200)
            #expect(sim.requestCounts()["token_in_query"] == nil)
            #expect(try RawHTTP.get(port: port, path + "?access_token=secret", token: nil).status == 200)
            #expect(sim.requestCounts()["token_in_query"] == 1)
            #expect(sim.requestCounts()["auth_failures"] == 2)
        }
        try await withSim(testConfig()) { sim, port in
            let r = try RawHTTP.get(port: port, "/v25.0/\(sim.wabaIDs[0])", token: "anything")
            #expect(r.status == 200)
        }
    }

    @Test func latencyIsApplied() async throws {
        var c = testConfig()
        c.latencyMs = 250
        try await withSim(c) { sim, port in
            let r = try RawHTTP.get(port: port, "/v25.0/\(sim.wabaIDs[0])")
            #expect(r.status == 200 && r.elapsed >= 0.25)
        }
        try await withSim(testConfig()) { sim, port in
            let r = try RawHTTP.get(port: port, "/v25.0/\(sim.wabaIDs[0])")
            #expect(r.elapsed < 0.25)
        }
    }

    @Test func requestCountsPerEndpoint() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            _ = try RawHTTP.get(port: port, "/v25.0/\(w.id)?fields=currency")
            _ = try RawHTTP.get(port: port, "/v25.0/\(w.id)/message_templates")
            _ = try RawHTTP.get(port: port, "/v25.0/\(w.id)/phone_numbers")
            _ = try RawHTTP.get(port: port, "/v25.0/\(w.phoneNumbers[0].id)/whatsapp_business_profile?fields=vertical")
            _ = try RawHTTP.get(port: port, "/v25.0/\(sim.config.businessID)/owned_whatsapp_business_accounts")
            _ = try RawHTTP.get(port: port, "/v25.0/\(sim.config.businessID)/client_whatsapp_business_accounts")
            _ = try RawHTTP.get(port: port, templatePath(w.id, [w.templates[0].id], start: "2026-11-01", end: "2026-11-02"))
            _ = try RawHTTP.get(port: port, pricingPath(w.id, start: midnight(w, asOfDay - 1), end: midnight(w, asOfDay), dims: nil))
            _ = try RawHTTP.get(port: port, "/v25.0/nope/nothing/here")
            let c = sim.requestCounts()
            for k in ["waba", "message_templates", "phone_numbers", "whatsapp_business_profile", "owned_whatsapp_business_accounts",
                      "client_whatsapp_business_accounts", "template_analytics", "pricing_analytics", "unknown"] {
                #expect(c[k] == 1, "\(k)")
            }
            #expect(c["total"] == 9 && c["faults"] == nil)
            sim.resetCounts()
            #expect(sim.requestCounts().isEmpty)
        }
    }

    @Test func unknownPathsAndEdges() async throws {
        try await withSim(testConfig()) { sim, port in
            let r = try RawHTTP.get(port: port, "/v25.0/123456789")
            #expect(r.status == 400 && r.errorCode == 100)
            #expect(errorObject(r)?["type"] as? String == "GraphMethodException")
            #expect((errorObject(r)?["message"] as? String)?.hasPrefix("Unsupported get request") == true)
            let e = try RawHTTP.get(port: port, "/v25.0/\(sim.wabaIDs[0])/nonsense")
            #expect(e.status == 400 && e.errorCode == 100)
            // Any version, or none.
            #expect(try RawHTTP.get(port: port, "/v19.0/\(sim.wabaIDs[0])").status == 200)
            #expect(try RawHTTP.get(port: port, "/\(sim.wabaIDs[0])").status == 200)
        }
    }

    @Test func discoveryAndCatalog() async throws {
        try await withSim(testConfig()) { sim, port in
            let biz = sim.config.businessID
            let owned = try allPages(port: port, "/v25.0/\(biz)/owned_whatsapp_business_accounts?limit=2")
            #expect(owned.count == 2)
            #expect(owned.flatMap { $0["data"] as! [[String: Any]] }.map { $0["id"] as! String } == sim.wabaIDs)
            let client = try allPages(port: port, "/v25.0/\(biz)/client_whatsapp_business_accounts").flatMap { $0["data"] as! [[String: Any]] }
            #expect(client.map { $0["id"] as! String } == [sim.wabaIDs[1]])
            let w = sim.dataset.wabas[0]
            let phones = try #require(try RawHTTP.get(port: port, "/v25.0/\(w.id)/phone_numbers").json)["data"] as! [[String: Any]]
            #expect(phones.count == w.phoneNumbers.count)
            #expect(phones.allSatisfy { ($0["display_phone_number"] as? String)?.hasPrefix("+1 ") == true && $0["verified_name"] is String && $0["quality_rating"] is String })
            let profile = try #require(try RawHTTP.get(port: port, "/v25.0/\(w.phoneNumbers[0].id)/whatsapp_business_profile?fields=vertical").json)
            #expect(((profile["data"] as! [[String: Any]])[0])["vertical"] as? String == "RETAIL")
            let templates = try allPages(port: port, "/v25.0/\(w.id)/message_templates?fields=id,name,language,category,status,quality_score,bid_spec,message_send_ttl_seconds&limit=5")
                .flatMap { $0["data"] as! [[String: Any]] }
            #expect(templates.map { $0["id"] as! String } == w.templates.map(\.id))
            #expect(templates.map { $0["name"] as! String } == w.templates.map(\.name))
            #expect(templates.contains { $0["bid_spec"] != nil } && templates.contains { $0["message_send_ttl_seconds"] != nil })
            #expect(Set(templates.map { $0["category"] as! String }) == ["MARKETING", "UTILITY"])
            #expect(templates.allSatisfy { (($0["quality_score"] as? [String: Any])?["score"]) is String })
            let fields = try #require(try RawHTTP.get(port: port, "/v25.0/\(w.id)?fields=id,name,currency,timezone_id,marketing_messages_onboarding_status,is_enabled_for_insights").json)
            #expect(fields["marketing_messages_onboarding_status"] as? String == "ONBOARDED" && fields["is_enabled_for_insights"] as? Bool == true)
            #expect(fields["name"] as? String == "Acme \"Outdoor\" & Co.")
            let node = try #require(try RawHTTP.get(port: port, "/v25.0/\(w.templates[3].id)?fields=name,status").json)
            #expect(node["name"] as? String == w.templates[3].name)
        }
    }

    @Test func gzipWhenAsked() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            let path = templatePath(w.id, w.templates.prefix(5).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 50)
            let plain = try RawHTTP.get(port: port, path)
            let gz = try RawHTTP.get(port: port, path, headers: ["Accept-Encoding": "gzip, deflate"])
            #expect(gz.headers["content-encoding"] == "gzip" && plain.headers["content-encoding"] == nil)
            #expect(try gunzip(gz.body) == plain.body)
        }
    }

    @Test func usageHeadersGrowThenRealThrottling() async throws {
        var c = testConfig()
        c.bucBudgetPerWABA = 10
        try await withSim(c) { sim, port in
            var percents: [Int] = []
            for _ in 1...10 {
                let r = try RawHTTP.get(port: port, "/v25.0/\(sim.wabaIDs[0])")
                #expect(r.status == 200 && r.headers["x-app-usage"] != nil && r.headers["x-fb-trace-id"] != nil)
                let buc = try JSONSerialization.jsonObject(with: Data(r.headers["x-business-use-case-usage"]!.utf8)) as! [String: Any]
                percents.append((buc[sim.wabaIDs[0]] as! [[String: Any]])[0]["call_count"] as! Int)
            }
            #expect(percents == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
            let over = try RawHTTP.get(port: port, "/v25.0/\(sim.wabaIDs[0])")
            #expect(over.status == 429 && over.errorCode == 80007)
            #expect(sim.requestCounts()["throttled"] == 1)
            // Another WABA has its own budget.
            #expect(try RawHTTP.get(port: port, "/v25.0/\(sim.wabaIDs[1])").status == 200)
        }
    }
}
