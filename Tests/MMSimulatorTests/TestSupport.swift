import Foundation
import Testing
@testable import MMSimulator

let testAsOf = "2026-11-24"
let asOfDay = CivilDate.parse(testAsOf)!
let mmProduct = "MARKETING_MESSAGES_LITE_API"

func testConfig(asOf: String = testAsOf, wabas: Int = 3, templates: Int = 12, seed: UInt64 = 42) -> SimulatorConfig {
    var c = SimulatorConfig()
    c.asOf = asOf
    c.wabaCount = wabas
    c.templatesPerWABA = templates
    c.seed = seed
    return c
}

/// Starts a simulator for the body and always stops it.
func withSim<T>(_ config: SimulatorConfig, _ body: (GraphSimulator, Int) async throws -> T) async throws -> T {
    let sim = GraphSimulator(config: config)
    let port = try await sim.start()
    do {
        let r = try await body(sim, port)
        try await sim.stop()
        return r
    } catch {
        try? await sim.stop()
        throw error
    }
}

/// Edge-form template_analytics path.
func templatePath(_ waba: String, _ ids: [String], start: String, end: String, product: String? = mmProduct,
                  tz: Bool = true, limit: Int? = nil, metrics: String? = nil) -> String {
    var p = "/v25.0/\(waba)/template_analytics?start=\(start)&end=\(end)&granularity=DAILY&template_ids=[\(ids.joined(separator: ","))]"
    if let product { p += "&product_type=\(product)" }
    if tz { p += "&use_waba_timezone=true" }
    if let limit { p += "&limit=\(limit)" }
    if let metrics { p += "&metric_types=\(metrics)" }
    return p
}

func pricingPath(_ waba: String, start: Int64, end: Int64, dims: String?, limit: Int? = nil) -> String {
    var p = "/v25.0/\(waba)/pricing_analytics?start=\(start)&end=\(end)&granularity=DAILY"
    if let dims { p += "&dimensions=\(dims)" }
    if let limit { p += "&limit=\(limit)" }
    return p
}

/// Int from a JSON number or a numeric string.
func int(_ v: Any?) -> Int? {
    if let i = v as? Int { return i }
    if let s = v as? String { return Int(s) }
    if let d = v as? Double { return Int(d) }
    return nil
}

func double(_ v: Any?) -> Double? {
    if let d = v as? Double { return d }
    if let i = v as? Int { return Double(i) }
    if let s = v as? String { return Double(s) }
    return nil
}

func errorObject(_ r: RawResponse) -> [String: Any]? { r.json?["error"] as? [String: Any] }

/// Local midnight of a date in the WABA's zone.
func midnight(_ w: SimWABA, _ day: Int) -> Int64 { TimeZoneIDs.localMidnight(day: day, in: w.timeZone) }

/// Every (template id, date) → data point from following a template_analytics query to the end.
func collectTemplatePoints(port: Int, _ first: String, key: String? = nil) throws -> [[String: Any]] {
    try allPages(port: port, first, key: key).flatMap(dataPoints)
}
