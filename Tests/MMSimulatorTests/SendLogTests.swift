import Foundation
import Testing
@testable import MMSimulator

@Suite struct SendLogTests {
    struct Message {
        var send: [String: Any]
        var statuses: [String] = []
        var errors: [Int] = []
        var categories: Set<String> = []
    }

    /// Parses every line of the files into messages keyed by wamid.
    func parse(_ paths: [String]) throws -> (messages: [String: Message], webhooks: Int, flat: Int) {
        var messages: [String: Message] = [:]
        var webhooks = 0, flat = 0
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            for line in data.split(separator: 0x0A) {
                let obj = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
                var status: [String: Any]
                var wamid: String
                if obj["kind"] as? String == "send" {
                    wamid = obj["wamid"] as! String
                    #expect(messages[wamid] == nil, "duplicate wamid")
                    messages[wamid] = Message(send: obj)
                    continue
                } else if obj["kind"] as? String == "status" {
                    flat += 1
                    status = obj
                    wamid = obj["wamid"] as! String
                    #expect(CivilDate.parse(String((obj["timestamp"] as! String).prefix(10))) != nil)
                } else {
                    webhooks += 1
                    #expect(obj["object"] as? String == "whatsapp_business_account")
                    let change = ((obj["entry"] as! [[String: Any]])[0]["changes"] as! [[String: Any]])[0]
                    #expect(change["field"] as? String == "messages")
                    let value = change["value"] as! [String: Any]
                    status = (value["statuses"] as! [[String: Any]])[0]
                    wamid = status["id"] as! String
                    #expect(Int(status["timestamp"] as! String) != nil)
                }
                var m = try #require(messages[wamid], "status before send")
                m.statuses.append(status["status"] as! String)
                if let p = status["pricing"] as? [String: Any] { m.categories.insert(p["category"] as! String) }
                if let e = status["errors"] as? [[String: Any]] { m.errors.append(contentsOf: e.map { $0["code"] as! Int }) }
                messages[wamid] = m
            }
        }
        return (messages, webhooks, flat)
    }

    @Test func sendLogMatchesAPICounts() async throws {
        let dir = NSTemporaryDirectory() + "sendlog-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await withSim(testConfig(templates: 12)) { sim, port in
            let b = sim.dataset
            let paths = try SendLogWriter.write(business: b, asOf: testAsOf, days: 3, to: dir)
            #expect(paths.count == 3 && paths.last!.hasSuffix("sendlog-2026-11-24.ndjson"))
            let (messages, webhooks, flat) = try parse(paths)
            #expect(webhooks > 100 && flat > 100)

            // Tally per waba/template/product/local day.
            struct Tally { var sent = 0, delivered = 0, read = 0, failed = 0 }
            var tally: [String: Tally] = [:]
            var deliveredByCountry: [String: Int] = [:]  // "waba/day/country" for MM
            for m in messages.values {
                let s = m.send
                let w = b.waba(id: s["waba_id"] as! String)!
                let product = s["endpoint"] as! String == "marketing_messages" ? "mm_api" : "cloud_api"
                let sentAt = ISO8601DateFormatter().date(from: s["sent_at"] as! String)!
                let day = TimeZoneIDs.localDay(epochSeconds: Int64(sentAt.timeIntervalSince1970), in: w.timeZone)
                let key = "\(w.id)/\(s["template_id"]!)/\(product)/\(day)"
                var t = tally[key, default: Tally()]
                t.sent += 1
                #expect(m.statuses.first == "sent")
                if m.statuses.contains("delivered") { t.delivered += 1 }
                if m.statuses.contains("read") { t.read += 1 }
                if m.statuses.contains("failed") { t.failed += 1; #expect(m.errors.count == 1) }
                tally[key] = t
                #expect(m.categories == [product == "mm_api" ? "marketing_lite" : (b.template(id: s["template_id"] as! String)!.template.category.lowercased())])
                // A phone number, or (users with a username, 2026) only a business-scoped user id "CC.digits".
                let recipient = s["recipient"] as? String, userID = s["user_id"] as? String
                #expect(recipient != nil || userID != nil)
                if let recipient { #expect(recipient.hasPrefix("+") && recipient.dropFirst().allSatisfy(\.isNumber)) }
                let country = recipientCountry(phone: recipient, userID: userID, waba: w)
                if let userID { #expect(userID.hasPrefix(country + ".")) }
                if country == "US" { #expect(m.errors == [131_049]) }
                if product == "mm_api", m.statuses.contains("delivered") {
                    deliveredByCountry["\(w.id)/\(day)/\(country)", default: 0] += 1
                }
                #expect(s["product_policy"] as? String == "CLOUD_API_FALLBACK" && s["message_activity_sharing"] as? Bool == true)
            }
            // Every template-day-product of the API appears with equal counts, and nothing else.
            var expectedKeys = Set<String>()
            for w in b.wabas {
                for t in w.templates {
                    for p in SimProduct.allCases {
                        for d in (asOfDay - 2)...asOfDay {
                            guard let c = b.counts(waba: w.index, template: t.index, day: d, product: p, asOf: asOfDay) else { continue }
                            let key = "\(w.id)/\(t.id)/\(p.rawValue)/\(d)"
                            expectedKeys.insert(key)
                            let got = tally[key] ?? Tally()
                            #expect(got.sent == c.sent && got.delivered == c.delivered && got.read == c.read && got.failed == c.failed, "\(key)")
                        }
                    }
                }
            }
            #expect(Set(tally.keys) == expectedKeys)

            // Against the HTTP API too: one WABA, the MM series, and the pricing country split.
            let w = b.wabas[0]
            let points = try collectTemplatePoints(port: port, templatePath(w.id, w.templates.prefix(10).map(\.id), start: CivilDate.format(asOfDay - 2), end: "2026-11-25", limit: 500))
            #expect(!points.isEmpty)
            for p in points {
                let t = tally["\(w.id)/\(p["template_id"]!)/mm_api/\(CivilDate.parse(p["start"] as! String)!)"]!
                #expect(int(p["sent"]) == t.sent && int(p["delivered"]) == t.delivered && int(p["read"]) == t.read)
            }
            let pricing = try collectTemplatePoints(port: port, pricingPath(w.id, start: midnight(w, asOfDay - 2), end: midnight(w, asOfDay + 1), dims: "[PRICING_CATEGORY,COUNTRY]", limit: 500))
            for p in pricing where p["pricing_category"] as? String == "MARKETING_LITE" {
                let day = TimeZoneIDs.localDay(epochSeconds: Int64(int(p["start"])!), in: w.timeZone)
                #expect(int(p["volume"]) == deliveredByCountry["\(w.id)/\(day)/\(p["country"] as! String)"])
            }
        }
    }

    @Test func sameSeedSameBytesAndGzip() throws {
        let b = SimulatedBusiness(seed: 7, businessID: "1", wabaCount: 2, templatesPerWABA: 5)
        #expect(SendLogWriter.lines(business: b, day: asOfDay - 3, asOf: asOfDay) == SendLogWriter.lines(business: b, day: asOfDay - 3, asOf: asOfDay))
        let dir = NSTemporaryDirectory() + "sendlog-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = try SendLogWriter.write(business: b, asOf: testAsOf, days: 2, to: dir, format: .ndjsonGzip)
        #expect(paths.count == 2 && paths.allSatisfy { $0.hasSuffix(".ndjson.gz") && FileManager.default.fileExists(atPath: $0) })
        let raw = try Array(Data(contentsOf: URL(fileURLWithPath: paths[1])))
        #expect(try gunzip(raw) == SendLogWriter.lines(business: b, day: asOfDay, asOf: asOfDay))
    }

    @Test func defaultDemoSizeStaysModest() {
        let b = SimulatedBusiness(seed: 42, businessID: "1", wabaCount: 3, templatesPerWABA: 25)
        let bytes = (0..<3).reduce(0) { $0 + SendLogWriter.lines(business: b, day: asOfDay - $1 * 10, asOf: asOfDay).count }
        let perDay = bytes / 3
        // 30 days of the default demo: report the size so regressions are visible.
        print("send log bytes/day (3 WABAs x 25 templates): \(perDay), 30 days ≈ \(perDay * 30 / 1_000_000) MB")
        #expect(perDay * 30 < 80_000_000)
    }
}

/// A logged recipient's country: by the longest calling code of its phone number, else the prefix
/// of its business-scoped user id ("BR.1502…").
func recipientCountry(phone: String?, userID: String?, waba w: SimWABA) -> String {
    if let r = phone {
        let byCode = w.recipients.filter { r.dropFirst().hasPrefix($0.callingCode) }
        return byCode.max { $0.callingCode.count < $1.callingCode.count }?.country ?? ""
    }
    return String((userID ?? "").prefix { $0 != "." })
}
