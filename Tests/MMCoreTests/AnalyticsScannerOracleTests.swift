import Foundation
import Testing
@testable import MMCore

/// Property: on random pages of the documented shapes (numbers as numbers and as strings, unknown
/// keys, both conversion shapes, both envelopes, nulls, escaped text), the byte scanner reads
/// exactly what the `Decodable` types read — and reads it itself (no fallback).
@Suite struct AnalyticsScannerOracleTests {
    @Test(arguments: 1...40)
    func pricingScannerMatchesDecodable(seed: Int) throws {
        var g = PageGenerator(seed: UInt64(seed))
        let bytes = Array(g.pricingPage().utf8)
        let ctx = PageContext(wabaID: "7", currency: "BRL", timezone: "America/Sao_Paulo", granularity: "DAILY",
                              pricingDimensions: "COUNTRY", source: "p\(seed)")
        let scanned = PricingNormalizer.rows(try PricingNormalizer.scan(bytes), context: ctx)
        let decoded = PricingNormalizer.rows(try GraphPage<PricingNormalizer.Series>.decode(bytes, source: ctx.source).data, context: ctx)
        #expect(scanned.dataPoints == decoded.dataPoints)
        #expect(scanned.dataPoints > 0)
        #expect(scanned.pricing == decoded.pricing)
        #expect(scanned.diagnostics == decoded.diagnostics)
    }

    @Test(arguments: 1...40)
    func templateScannerMatchesDecodable(seed: Int) throws {
        var g = PageGenerator(seed: UInt64(seed))
        let bytes = Array(g.templatePage().utf8)
        let ctx = PageContext(wabaID: "7", currency: "USD", timezone: "Asia/Kolkata", requestedProductType: "CLOUD_API",
                              useWABATimezone: seed % 2 == 0, source: "t\(seed)")
        let scanned = TemplateAnalyticsNormalizer.rows(try TemplateAnalyticsNormalizer.scan(bytes), context: ctx)
        let decoded = TemplateAnalyticsNormalizer.rows(try GraphPage<TemplateAnalyticsNormalizer.Series>.decode(bytes, source: ctx.source).data, context: ctx)
        #expect(scanned.dataPoints == decoded.dataPoints)
        #expect(scanned.dataPoints > 0)
        #expect(scanned.templateDaily == decoded.templateDaily)
        #expect(scanned.templateClicks == decoded.templateClicks)
        // Extra keys: `JSONDecoder` lists them in its own order, the scanner in document order.
        #expect(Set(scanned.conversions) == Set(decoded.conversions))
        #expect(scanned.conversions.count == decoded.conversions.count)
        #expect(scanned.diagnostics == decoded.diagnostics)
    }

    /// Whole numbers, however built, and only they, have an `int64`.
    @Test func wholeNumbersAsInt64() {
        let cases: [(String, Int64?)] = [("0", 0), ("-5", -5), ("120", 120), ("1e3", 1000), ("12.5", nil), ("12.0", 12),
                                         ("9223372036854775807", Int64.max), ("9223372036854775808", nil), ("-0", 0)]
        for (text, expected) in cases {
            #expect(LenientDecimal(text: text)?.int64 == expected, "\(text)")
            if let fast = JSONScanner.plainDecimal(Array(text.utf8)) { #expect(LenientDecimal(fast).int64 == expected, "\(text) scanned") }
        }
        #expect(LenientDecimal(Decimal(Int64.min + 1)).int64 == Int64.min + 1)
    }

    /// Shapes the scanner leaves to `JSONDecoder` still normalize (alike), and broken pages still
    /// fail with the decoder's message naming the source.
    @Test func unusualAndBrokenPagesGoThroughTheDecoder() throws {
        let ctx = PageContext(wabaID: "1", currency: "USD", timezone: "UTC", source: "odd.json.gz")
        let odd = #"{"data":[{"data_points":[{"start":0,"end":8.64e4,"volume":1e1,"cost":"12.5"}]}]}"#
        #expect(throws: (any Error).self) { try PricingNormalizer.scan(Array(odd.utf8)) }
        let b = try PricingNormalizer.normalize(Array(odd.utf8), context: ctx)
        #expect(b.pricing.map(\.volume) == [10])
        #expect(b.pricing.map(\.bucketEnd) == [86400])
        #expect(throws: NormalizeError.self) { try PricingNormalizer.normalize(Array(#"{"data":[{"data_points":[{"end":1}]}]}"#.utf8), context: ctx) }
        #expect(throws: NormalizeError.self) { try TemplateAnalyticsNormalizer.normalize(Array(#"{"data":[1]} x"#.utf8), context: ctx) }
    }
}

/// Random analytics pages in the documented shapes.
struct PageGenerator {
    var rng: SplitMix
    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    mutating func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    /// An integer as a number or a string; now and then in a form only the text path reads
    /// (spaces, a sign `+`, an exponent, a zero fraction, `-0`).
    mutating func integer(_ max: UInt64) -> String {
        let v = rng.next() % max
        if chance(10) { return pick(["\" \(v)\"", "\"+\(v)\"", "\"\(v)e0\"", "\"\(v).0\"", "\(v).00", "-0", "\"-0\""]) }
        return chance(30) ? "\"\(v)\"" : "\(v)"
    }

    /// A money amount with up to 6 fraction digits, as a number or a string.
    mutating func money() -> String {
        let whole = rng.next() % 5000, fraction = rng.next() % 1_000_000
        let digits = Int(rng.next() % 7)
        let text = digits == 0 ? "\(whole)" : "\(whole)." + String(String(fraction).padding(toLength: 6, withPad: "0", startingAt: 0).prefix(digits))
        if chance(8) { return pick(["\"\(text)0\"", "-\(text)", "\" \(text) \"", "\"\(text)e-2\"", "\"-0.000\"", "\"123456789012345678.5\""]) }
        return chance(40) ? "\"\(text)\"" : text
    }

    /// Text with characters that need escaping and some that do not.
    mutating func text() -> String {
        pick(["US", "BR", "", "Shop \\\"now\\\" \\\\ 🛍", "caf\\u00e9", "tab\\there", "line\\nbreak", "😀 \\ud83d\\ude00", "a/b\\/c"])
    }

    mutating func instant(day: Int64) -> String {
        let epoch = 1_763_000_000 + day * 86_400
        if chance(30) { return "\"\(Day(epochSecondsUTC: epoch).description)\"" }
        if chance(5) { return pick(["\"\(Day(epochSecondsUTC: epoch).description)T00:00:00+0000\"", "\"+\(epoch)\"", "\"0\(epoch)\""]) }
        return chance(20) ? "\"\(epoch)\"" : "\(epoch)"
    }

    mutating func unknownMember() -> String {
        pick([#""some_object": {"x": [1, {"y": null}], "z": "w"}"#, #""flag": true"#, #""note": "hello""#,
              #""list": [1.5, -2, 3e2]"#, #""nothing": null"#])
    }

    mutating func envelope(_ series: [String]) -> String {
        let data = "[" + series.joined(separator: ",") + "]"
        let paging = #""paging": {"cursors": {"before": "A", "after": "B"}, "next": "https://example.invalid/x?after=B"}"#
        return chance(25) ? #"{"id": "42", "analytics": {"data": \#(data), \#(paging)}}"# : #"{"data": \#(data), \#(paging)}"#
    }

    mutating func pricingPage() -> String {
        var series: [String] = []
        for _ in 0..<(1 + rng.next() % 3) {
            var points: [String] = []
            for _ in 0..<(1 + rng.next() % 30) {
                let day = Int64(rng.next() % 10)
                var members = [#""start": \#(instant(day: day))"#, #""end": \#(instant(day: day + 1))"#]
                if chance(80) { members.append(#""country": "\#(text())""#) }
                if chance(50) { members.append(#""phone_number": "1555\#(rng.next() % 100)""#) }
                members.append(#""pricing_category": \#(pick(["\"MARKETING\"", "\"MARKETING_LITE\"", "\"UTILITY\"", "\"HOLOGRAM\"", "null"]))"#)
                if chance(70) { members.append(#""pricing_type": "\#(pick(["REGULAR", "FREE_ENTRY_POINT"]))""#) }
                if chance(50) { members.append(#""tier": "\#(pick(["0:2", "0:MAX"]))""#) }
                if chance(90) { members.append(#""volume": \#(integer(10_000))"#) }
                members.append(#""cost": \#(chance(15) ? "null" : money())"#)
                if chance(20) { members.append(unknownMember()) }
                points.append("{" + shuffled(members).joined(separator: ", ") + "}")
            }
            var members = [#""data_points": [\#(points.joined(separator: ",\n"))]"#]
            if chance(50) { members.append(#""granularity": "DAILY""#) }
            series.append("{" + shuffled(members).joined(separator: ", ") + "}")
        }
        return envelope(series)
    }

    mutating func templatePage() -> String {
        var series: [String] = []
        for _ in 0..<(1 + rng.next() % 3) {
            var points: [String] = []
            for t in 0..<(1 + rng.next() % 25) {
                let day = Int64(rng.next() % 10)
                var members = [#""template_id": \#(chance(50) ? "\"\(1_421_988_012_088_000 + t)\"" : "\(1_421_988_012_088_000 + t)")"#,
                               #""start": \#(instant(day: day))"#, #""end": \#(instant(day: day + 1))"#,
                               #""sent": \#(integer(1000))"#, #""delivered": \#(integer(1000))"#, #""read": \#(integer(1000))"#]
                if chance(40) { members.append(#""replied": \#(integer(100))"#) }
                if chance(60) {
                    let clicks = (0..<(rng.next() % 4)).map { _ in
                        #"{"type": "\#(pick(["url_button", "unique_url_button", "quick_reply_button", "NEW_BUTTON"]))", "button_content": "\#(text())", "count": \#(integer(50))}"#
                    }
                    members.append(#""clicked": [\#(clicks.joined(separator: ", "))]"#)
                }
                if chance(60) {
                    let costs = ["amount_spent", "cost_per_delivered", "cost_per_url_button_click", "surprise_cost"].filter { _ in chance(60) }
                        .map { #"{"type": "\#($0)", "value": \#(money())}"# }
                    members.append(#""cost": [\#(costs.joined(separator: ", "))]"#)
                }
                if chance(40) {
                    let entries = ["APP_PURCHASES", "WEBSITE_LEAD", "BRAND_NEW"].filter { _ in chance(50) }
                        .map { #"{"type": "\#($0)", "value": \#(chance(10) ? "null" : money())}"# }
                    members.append(#""conversions": [\#(entries.joined(separator: ", "))]"#)
                }
                for name in ["website_purchases", "website_purchases_conversion_value", "app_add_to_cart", "brand_new_metric"] where chance(30) {
                    members.append(#""\#(name)": \#(money())"#)
                }
                if chance(25) { members.append(unknownMember()) }
                points.append("{" + shuffled(members).joined(separator: ", ") + "}")
            }
            var members = [#""data_points": [\#(points.joined(separator: ",\n"))]"#]
            if chance(70) { members.append(#""product_type": "\#(pick(["marketing_messages_lite_api", "cloud_api", "CAMPAIGN_INSIGHTS"]))""#) }
            if chance(50) { members.append(#""waba_timezone": "\#(pick(["America/Sao_Paulo", "Not/AZone", "UTC"]))""#) }
            series.append("{" + shuffled(members).joined(separator: ", ") + "}")
        }
        return envelope(series)
    }

    mutating func shuffled(_ items: [String]) -> [String] {
        var out = items
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return out
    }
}
