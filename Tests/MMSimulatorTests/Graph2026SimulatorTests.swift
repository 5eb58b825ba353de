import Foundation
import Testing
@testable import MMSimulator

/// The simulator speaks the 2026 surface: Meta's timezone ids beyond the common ones (India's
/// half-hour offset), business profiles that fail, `optimization_spec`, `REPLIED`, charged
/// service messages from 2026-10-01, and webhooks carrying `user_id` without a phone number.
@Suite struct Graph2026SimulatorTests {
    @Test func anIndianWABAHasKolkataBucketsAndUnreadableProfiles() async throws {
        try await withSim(testConfig(wabas: 5)) { sim, port in
            let w = sim.dataset.wabas[3]
            #expect(w.timezoneID == "71" && w.timezoneName == "Asia/Kolkata" && w.profileFailure == 10)
            let day = asOfDay - 3
            let start = midnight(w, day)
            #expect(start % 86_400 == 18 * 3600 + 1800)   // 18:30Z: local midnight at UTC+05:30
            let points = try allPages(port: port, pricingPath(w.id, start: start, end: start + 86_400, dims: "[COUNTRY]"))
                .flatMap(dataPoints)
            #expect(!points.isEmpty && points.allSatisfy { int($0["start"]) == Int(start) })
            let profile = try RawHTTP.get(port: port, "/v25.0/\(w.phoneNumbers[0].id)/whatsapp_business_profile?fields=vertical")
            #expect(profile.status == 403 && (errorObject(profile)?["code"] as? Int) == 10)
            let fine = try RawHTTP.get(port: port, "/v25.0/\(sim.dataset.wabas[0].phoneNumbers[0].id)/whatsapp_business_profile?fields=vertical")
            #expect(fine.status == 200)
        }
    }

    @Test func templatesCarryOptimizationSpecSendTypeAndReplies() async throws {
        try await withSim(testConfig(wabas: 1)) { sim, port in
            let w = sim.dataset.wabas[0]
            let templates = try allPages(port: port, "/v25.0/\(w.id)/message_templates?fields=id,optimization_spec,send_type&limit=50")
                .flatMap { $0["data"] as! [[String: Any]] }
            let specs = templates.compactMap { $0["optimization_spec"] as? [String: Any] }
            #expect(!specs.isEmpty && specs.allSatisfy { [5_000, 8_000, 12_000].contains(int($0["bid_amount"]) ?? 0) && $0["bid_strategy"] as? String == "MAX_PRICE" })
            #expect(templates.allSatisfy { ["CAMPAIGN", "DIRECT", "TRIGGER"].contains($0["send_type"] as? String ?? "") })
            let t = w.templates[0]
            let points = try collectTemplatePoints(port: port, templatePath(w.id, [t.id], start: CivilDate.format(asOfDay - 9), end: CivilDate.format(asOfDay - 8), metrics: "[SENT,READ,REPLIED]"))
            let replied = points.compactMap { int($0["replied"]) }
            let read = points.compactMap { int($0["read"]) }
            #expect(!replied.isEmpty && zip(replied, read).allSatisfy { $0 == $1 / 6 })
        }
    }

    @Test func serviceIsChargedFromOctober2026AndAIBotCostDoesNotFollowVolume() async throws {
        var c = testConfig(asOf: "2026-10-10", wabas: 1)
        c.days = 30
        try await withSim(c) { sim, port in
            let w = sim.dataset.wabas[0]
            let from = midnight(w, CivilDate.parse("2026-09-25")!), to = midnight(w, CivilDate.parse("2026-10-10")!)
            let points = try allPages(port: port, pricingPath(w.id, start: from, end: to, dims: "[PRICING_CATEGORY,PRICING_TYPE]"))
                .flatMap(dataPoints)
            let october = Int(midnight(w, SimulatedBusiness.serviceChargedFrom))
            let service = points.filter { $0["pricing_type"] as? String == "FREE_CUSTOMER_SERVICE" }
            #expect(service.contains { int($0["start"])! < october } && service.contains { int($0["start"])! >= october })
            #expect(service.allSatisfy { ((double($0["cost"]) ?? 0) > 0) == (int($0["start"])! >= october) })
            let bots = points.filter { $0["pricing_category"] as? String == "AI_BOT" }
            #expect(bots.count > 1)
            let perMessage = Set(bots.map { (double($0["cost"]) ?? 0) / Double(int($0["volume"]) ?? 1) })
            #expect(perMessage.count > 1)
        }
    }

    @Test func theSendLogCarriesUserIdsAndSomeRecipientsHaveNoPhone() throws {
        let business = SimulatedBusiness(seed: 42, businessID: "1000000000000001", wabaCount: 1, templatesPerWABA: 6)
        let dir = NSTemporaryDirectory() + "mmetl-bsuid-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try SendLogWriter.write(business: business, asOf: testAsOf, days: 2, to: dir, format: .ndjson)
        let lines = try files.flatMap { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n") }
        let webhooks = lines.filter { $0.contains("\"statuses\"") }
        #expect(!webhooks.isEmpty && webhooks.allSatisfy { $0.contains("\"user_id\":\"") })
        #expect(webhooks.contains { !$0.contains("recipient_id") })
        #expect(lines.contains { $0.contains("\"kind\":\"send\"") && !$0.contains("\"recipient\"") && $0.contains("\"user_id\"") })
    }
}

