import Foundation
import Testing
@testable import MMSimulator

@Suite struct AnalyticsHTTPTests {
    @Test func sameSeedSameBytes() async throws {
        let a = try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            return try [
                RawHTTP.get(port: port, templatePath(w.id, w.templates.prefix(10).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 50)).body,
                RawHTTP.get(port: port, pricingPath(w.id, start: midnight(w, asOfDay - 20), end: midnight(w, asOfDay + 1), dims: "[PRICING_CATEGORY,COUNTRY]", limit: 100)).body,
            ]
        }
        let b = try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            return try [
                RawHTTP.get(port: port, templatePath(w.id, w.templates.prefix(10).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 50)).body,
                RawHTTP.get(port: port, pricingPath(w.id, start: midnight(w, asOfDay - 20), end: midnight(w, asOfDay + 1), dims: "[PRICING_CATEGORY,COUNTRY]", limit: 100)).body,
            ]
        }
        // Bodies carry the port in paging.next: compare with it blanked.
        func strip(_ x: [UInt8]) -> String {
            String(decoding: x, as: UTF8.self).replacingOccurrences(of: #"127\.0\.0\.1:\d+"#, with: "HOST", options: .regularExpression)
        }
        #expect(a.map(strip) == b.map(strip))
        #expect(a[0].count > 1000 && a[1].count > 1000)
    }

    @Test func pagingServesEveryDataPointOnce() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            let ids = w.templates.prefix(10).map(\.id)
            let start = asOfDay - 29
            let pages = try allPages(port: port, templatePath(w.id, ids, start: CivilDate.format(start), end: "2026-11-25", limit: 7))
            let points = pages.flatMap(dataPoints)
            var expected: [String: TemplateDayCounts] = [:]
            for d in start...asOfDay {
                for t in w.templates.prefix(10) {
                    if let c = sim.dataset.counts(waba: 0, template: t.index, day: d, product: .mmAPI, asOf: asOfDay) {
                        expected["\(t.id)/\(CivilDate.format(d))"] = c
                    }
                }
            }
            let keys = points.map { "\($0["template_id"] as! String)/\($0["start"] as! String)" }
            #expect(Set(keys).count == keys.count)
            #expect(Set(keys) == Set(expected.keys))
            for p in points {
                let c = expected["\(p["template_id"] as! String)/\(p["start"] as! String)"]!
                #expect(int(p["sent"]) == c.sent && int(p["delivered"]) == c.delivered && int(p["read"]) == c.read)
            }
            #expect(pages.dropLast().allSatisfy { dataPoints($0).count == 7 })
            #expect(dataPoints(pages.last!).count == (expected.count % 7 == 0 ? 7 : expected.count % 7))
            #expect((pages.last!["paging"] as? [String: Any])?["next"] == nil)
            #expect(sim.requestCounts()["template_analytics"] == pages.count)
        }
    }

    @Test func onlyRequestedDimensionsAndTierRules() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            let s = midnight(w, asOfDay - 13), e = midnight(w, asOfDay + 1)
            let some = try collectTemplatePoints(port: port, pricingPath(w.id, start: s, end: e, dims: "[COUNTRY,PRICING_TYPE]", limit: 500))
            #expect(!some.isEmpty)
            for p in some { #expect(Set(p.keys) == ["start", "end", "country", "pricing_type", "volume", "cost"]) }
            let none = try collectTemplatePoints(port: port, pricingPath(w.id, start: s, end: e, dims: nil))
            #expect(none.count == 14)
            for p in none { #expect(Set(p.keys) == ["start", "end", "volume", "cost"]) }
            #expect(none.map { int($0["start"])! } == (0..<14).map { Int(midnight(w, asOfDay - 13 + $0)) })
            let all = try collectTemplatePoints(port: port, pricingPath(w.id, start: s, end: e, dims: "%5B%22PRICING_CATEGORY%22%2C%22PRICING_TYPE%22%2C%22COUNTRY%22%2C%22PHONE%22%2C%22TIER%22%5D", limit: 500))
            #expect(all.reduce(0) { $0 + int($1["volume"])! } == none.reduce(0) { $0 + int($1["volume"])! })
            for p in all {
                let free = (p["pricing_type"] as! String).hasPrefix("FREE_")
                #expect((p["tier"] == nil) == free)
                #expect(p["phone_number"] is String)
            }
            #expect(all.contains { ($0["pricing_type"] as! String).hasPrefix("FREE_") })
        }
    }

    @Test func creditLineWABAHasNoCost() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[1]
            #expect(w.onCreditLine)
            let pricing = try collectTemplatePoints(port: port, pricingPath(w.id, start: midnight(w, asOfDay - 10), end: midnight(w, asOfDay + 1), dims: "[PRICING_CATEGORY]", limit: 500))
            #expect(!pricing.isEmpty && pricing.allSatisfy { $0["cost"] == nil && $0["volume"] != nil })
            let tpl = try collectTemplatePoints(port: port, templatePath(w.id, w.templates.prefix(10).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 500))
            #expect(!tpl.isEmpty && tpl.allSatisfy { $0["cost"] == nil })
        }
    }

    @Test func parameterErrors() async throws {
        try await withSim(testConfig(templates: 12)) { sim, port in
            let w = sim.dataset.wabas[0]
            let eleven = try RawHTTP.get(port: port, templatePath(w.id, w.templates.prefix(11).map(\.id), start: "2026-11-01", end: "2026-11-20"))
            #expect(eleven.status == 400 && eleven.errorCode == 100)
            #expect((errorObject(eleven)?["message"] as? String)?.contains("at most 10") == true)
            let ids = [w.templates[0].id]
            let old = try RawHTTP.get(port: port, templatePath(w.id, ids, start: CivilDate.format(asOfDay - 91), end: "2026-11-20"))
            #expect(old.status == 400 && old.errorCode == 100 && errorObject(old)?["error_subcode"] as? Int == 2_494_010)
            #expect((errorObject(old)?["message"] as? String)?.contains("90 days") == true)
            let edge = try RawHTTP.get(port: port, templatePath(w.id, ids, start: CivilDate.format(asOfDay - 90), end: "2026-11-20"))
            #expect(edge.status == 200)
            let badProduct = try RawHTTP.get(port: port, templatePath(w.id, ids, start: "2026-11-01", end: "2026-11-20", product: "WHATEVER"))
            #expect(badProduct.errorCode == 100)
            let newName = try RawHTTP.get(port: port, templatePath(w.id, ids, start: "2026-11-01", end: "2026-11-20", product: "MARKETING_MESSAGES_API_FOR_WHATSAPP"))
            #expect(newName.status == 200)
            let epochInTZMode = try RawHTTP.get(port: port, templatePath(w.id, ids, start: "1790000000", end: "1790500000"))
            #expect(epochInTZMode.errorCode == 100)
            let oldPricing = try RawHTTP.get(port: port, pricingPath(w.id, start: midnight(w, asOfDay - 400), end: midnight(w, asOfDay - 300), dims: nil))
            #expect(oldPricing.status == 400 && oldPricing.errorCode == 100)
            #expect((errorObject(oldPricing)?["message"] as? String)?.contains("year") == true)
            let yearOK = try RawHTTP.get(port: port, pricingPath(w.id, start: midnight(w, asOfDay - 365), end: midnight(w, asOfDay - 300), dims: nil))
            #expect(yearOK.status == 200)
        }
    }

    @Test func utcModeUsesEpochSecondsAndCloudByDefault() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            let ids = w.templates.prefix(10).map(\.id)
            let s = Int64(asOfDay - 9) * 86_400
            let r = try RawHTTP.get(port: port, templatePath(w.id, ids, start: String(s), end: String(s + 10 * 86_400), product: nil, tz: false, limit: 500))
            let page = try #require(r.json)
            let data = (page["data"] as! [[String: Any]])[0]
            #expect(data["product_type"] as? String == "cloud_api" && data["waba_timezone"] == nil)
            let points = dataPoints(page)
            #expect(!points.isEmpty)
            for p in points {
                let start = try #require(p["start"] as? Int)
                #expect(start % 86_400 == 0 && p["end"] as? Int == start + 86_400)
                let t = w.templates.first { $0.id == p["template_id"] as? String }!
                #expect(int(p["sent"]) == sim.dataset.counts(waba: 0, template: t.index, day: start / 86_400, product: .cloudAPI, asOf: asOfDay)?.sent)
                #expect(p["website_purchases"] == nil && p["conversions"] == nil)
            }
        }
    }

    @Test func metricTypesFilterKeys() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            let points = try collectTemplatePoints(port: port, templatePath(w.id, w.templates.prefix(10).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 500, metrics: "[SENT,WEBSITE_PURCHASES]"))
            #expect(!points.isEmpty)
            for p in points { #expect(Set(p.keys).isSubset(of: ["template_id", "start", "end", "sent", "website_purchases"])) }
            #expect(points.contains { $0["website_purchases"] != nil })
        }
    }

    @Test func conversionShapesPerWABA() async throws {
        try await withSim(testConfig()) { sim, port in
            let b = sim.dataset
            func points(_ w: Int) throws -> [[String: Any]] {
                let waba = b.wabas[w]
                return try collectTemplatePoints(port: port, templatePath(waba.id, waba.templates.prefix(10).map(\.id), start: CivilDate.format(asOfDay - 60), end: "2026-11-25", limit: 500))
            }
            let keys = try points(0)
            #expect(keys.contains { int($0["website_purchases"]) ?? 0 > 0 && double($0["website_purchases_conversion_value"]) ?? 0 > 0 })
            #expect(keys.contains { $0["website_lead"] != nil } && keys.allSatisfy { $0["conversions"] == nil })
            #expect(keys.contains { ($0["clicked"] as? [[String: Any]])?.contains { $0["type"] as? String == "unique_url_button" } == true })
            let array = try points(1)
            #expect(array.allSatisfy { $0["website_purchases"] == nil })
            let conv = array.compactMap { $0["conversions"] as? [[String: Any]] }
            #expect(!conv.isEmpty && conv.allSatisfy { $0.allSatisfy { $0["type"] is String && $0["value"] != nil } })
            let eea = try points(2)
            #expect(!eea.isEmpty)
            #expect(eea.allSatisfy { $0["clicked"] == nil && $0["conversions"] == nil && $0["website_purchases"] == nil })
            #expect(eea.allSatisfy { $0["sent"] is String })
            #expect(keys.allSatisfy { $0["sent"] is Int })
        }
    }

    @Test func fieldExpansionEqualsEdgeForm() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            let ids = w.templates.prefix(10).map(\.id).joined(separator: ",")
            let edge = try collectTemplatePoints(port: port, templatePath(w.id, w.templates.prefix(10).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 9))
            let field = "/v25.0/\(w.id)?fields=id,name,template_analytics.start(2026-11-01).end(2026-11-25).granularity(DAILY).template_ids([\(ids)]).product_type(\(mmProduct)).use_waba_timezone(true).limit(9)"
            let first = try #require(try RawHTTP.get(port: port, field).json)
            #expect(first["id"] as? String == w.id && first["name"] is String)
            let next = ((first["template_analytics"] as? [String: Any])?["paging"] as? [String: Any])?["next"] as? String
            #expect(next?.contains("/\(w.id)/template_analytics?") == true && next?.contains("after=") == true)
            let viaField = try collectTemplatePoints(port: port, field, key: "template_analytics")
            #expect(NSArray(array: viaField).isEqual(to: edge))

            let s = midnight(w, asOfDay - 6), e = midnight(w, asOfDay + 1)
            let pEdge = try collectTemplatePoints(port: port, pricingPath(w.id, start: s, end: e, dims: "[PRICING_CATEGORY,PRICING_TYPE,COUNTRY,PHONE,TIER]", limit: 500))
            let pField = try collectTemplatePoints(port: port, "/v25.0/\(w.id)?fields=pricing_analytics.start(\(s)).end(\(e)).granularity(DAILY).dimensions([PRICING_CATEGORY,PRICING_TYPE,COUNTRY,PHONE,TIER]).limit(500)", key: "pricing_analytics")
            #expect(!pEdge.isEmpty && NSArray(array: pField).isEqual(to: pEdge))
            #expect(sim.requestCounts()["pricing_analytics"] == 2)
        }
    }

    @Test func laterAsOfChangesOnlyRecentReadsAndClicks() async throws {
        func fetch(_ asOf: String) async throws -> [String: [String: Any]] {
            try await withSim(testConfig(asOf: asOf)) { sim, port in
                let w = sim.dataset.wabas[0]
                let points = try collectTemplatePoints(port: port, templatePath(w.id, w.templates.prefix(10).map(\.id), start: "2026-11-01", end: "2026-11-25", limit: 500))
                return Dictionary(uniqueKeysWithValues: points.map { ("\($0["template_id"]!)/\($0["start"]!)", $0) })
            }
        }
        let before = try await fetch(testAsOf)
        let after = try await fetch("2026-11-29")
        #expect(Set(before.keys) == Set(after.keys))
        var changed = 0
        for (k, a) in before {
            let b = after[k]!
            #expect(int(a["sent"]) == int(b["sent"]) && int(a["delivered"]) == int(b["delivered"]))
            let day = CivilDate.parse(a["start"] as! String)!
            if asOfDay - day >= 10 {
                #expect(NSDictionary(dictionary: a).isEqual(to: b))
            } else if int(a["read"]) != int(b["read"]) {
                changed += 1
                #expect(int(b["read"])! > int(a["read"])!)
            }
        }
        #expect(changed > 0)
    }

    @Test func marketingLiteVolumeMatchesTemplateDelivered() async throws {
        try await withSim(testConfig(templates: 25)) { sim, port in
            let w = sim.dataset.wabas[0]
            let start = asOfDay - 4
            var delivered: [String: Int] = [:]
            for chunk in stride(from: 0, to: w.templates.count, by: 10) {
                let ids = w.templates[chunk..<min(chunk + 10, w.templates.count)].map(\.id)
                for p in try collectTemplatePoints(port: port, templatePath(w.id, ids, start: CivilDate.format(start), end: "2026-11-25", limit: 500)) {
                    delivered[p["start"] as! String, default: 0] += int(p["delivered"])!
                }
            }
            let pricing = try collectTemplatePoints(port: port, pricingPath(w.id, start: midnight(w, start), end: midnight(w, asOfDay + 1), dims: "[PRICING_CATEGORY]", limit: 500))
            for d in start...asOfDay {
                let lite = pricing.filter { int($0["start"]) == Int(midnight(w, d)) && $0["pricing_category"] as? String == "MARKETING_LITE" }
                #expect(lite.count == 1)
                #expect(int(lite.first?["volume"]) == delivered[CivilDate.format(d)])
            }
        }
    }

    @Test func monthlyGranularityAggregatesDays() async throws {
        try await withSim(testConfig()) { sim, port in
            let w = sim.dataset.wabas[0]
            let first = CivilDate.parse("2026-10-01")!
            let s = midnight(w, first), e = midnight(w, asOfDay + 1)
            let daily = try collectTemplatePoints(port: port, pricingPath(w.id, start: s, end: e, dims: nil, limit: 500))
            let monthly = try collectTemplatePoints(port: port, pricingPath(w.id, start: s, end: e, dims: nil).replacingOccurrences(of: "DAILY", with: "MONTHLY"))
            #expect(monthly.count == 2)
            #expect(monthly.reduce(0) { $0 + int($1["volume"])! } == daily.reduce(0) { $0 + int($1["volume"])! })
            #expect(int(monthly[1]["start"]) == Int(midnight(w, CivilDate.parse("2026-11-01")!)))
        }
    }

    @Test func insightsDisabledWABARejectsTemplateAnalytics() async throws {
        try await withSim(testConfig(wabas: 6, templates: 3)) { sim, port in
            let w = sim.dataset.wabas[5]
            let f = try #require(try RawHTTP.get(port: port, "/v25.0/\(w.id)?fields=is_enabled_for_insights").json)
            #expect(f["is_enabled_for_insights"] as? Bool == false)
            let r = try RawHTTP.get(port: port, templatePath(w.id, [w.templates[0].id], start: "2026-11-01", end: "2026-11-20"))
            #expect(r.status == 400 && r.errorCode == 100)
        }
    }
}
