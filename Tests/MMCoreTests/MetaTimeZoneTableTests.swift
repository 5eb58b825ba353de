import Foundation
import Testing
@testable import MMCore

/// Meta's timezone-id table: shipped as data (`data/meta-timezone-ids.tsv`), compiled into the core.
@Suite struct MetaTimeZoneTableTests {
    static var dataFile: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/meta-timezone-ids.tsv")
    }

    /// `id → iana` rows of the data file (id 0 has an empty zone).
    static func dataRows() throws -> [(id: String, name: String, iana: String)] {
        try String(contentsOf: dataFile, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("id\t") }
            .map { line in
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                return (f[0], f[1], f.count > 2 ? f[2] : "")
            }
    }

    @Test func theCompiledTableIsTheDataFile() throws {
        let rows = try Self.dataRows()
        #expect(rows.count == 143)
        #expect(Dictionary(uniqueKeysWithValues: rows.filter { !$0.iana.isEmpty }.map { ($0.id, $0.iana) }) == TimeZones.byMetaID)
        // The zone is Meta's enum name spelled the tz database's way.
        for r in rows where !r.iana.isEmpty {
            let spelled = r.iana.uppercased().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "-", with: "_")
            #expect(spelled == r.name, "\(r.id)")
        }
    }

    @Test func everyIdButUnknownIsAZoneTheTzDatabaseKnows() throws {
        for (id, zone) in TimeZones.byMetaID {
            #expect(TimeZone(identifier: zone) != nil, "id \(id): \(zone)")
            #expect(TimeZones.resolve(override: nil, echoed: nil, metaID: id) == (zone, "table"))
        }
        #expect(TimeZones.byMetaID.count == 142)
        #expect(TimeZones.byMetaID["0"] == nil)
    }

    @Test func indiaAndEuropeResolveAndUnknownIdsStayDiagnosed() {
        #expect(TimeZones.resolve(override: nil, echoed: nil, metaID: "71") == ("Asia/Kolkata", "table"))
        #expect(TimeZones.resolve(override: nil, echoed: nil, metaID: "57") == ("Europe/Paris", "table"))
        #expect(TimeZones.resolve(override: nil, echoed: nil, metaID: "0") == ("UTC", "utc-fallback"))
        #expect(TimeZones.resolve(override: nil, echoed: nil, metaID: "143") == ("UTC", "utc-fallback"))
        #expect(TimeZones.resolve(override: "Asia/Kolkata", echoed: nil, metaID: "1") == ("Asia/Kolkata", "pipeline"))
    }

    @Test func aKolkataPricingBucketLandsOnItsLocalDay() throws {
        // Local midnight of 2026-11-02 in Kolkata (UTC+05:30) is 2026-11-01T18:30Z.
        let start = TimeZones.localMidnight(Day("2026-11-02")!, in: "Asia/Kolkata")
        #expect(start == Day("2026-11-01")!.epochSecondsUTC + 18 * 3600 + 1800)
        let json = #"{"data":[{"data_points":[{"start":\#(start),"end":\#(start + 86_400),"volume":5,"cost":1.5}]}]}"#
        let info = CatalogNormalizer.WABAFields(id: "1", name: nil, currency: "INR", timezone_id: "71", country: nil,
                                                marketing_messages_onboarding_status: nil, is_enabled_for_insights: nil).info(entry: nil)
        let ctx = PageContext(wabaID: "1", currency: info.currency, timezone: info.timezone, source: "p")
        let b = try PricingNormalizer.normalize(Array(json.utf8), context: ctx)
        #expect(b.pricing.map(\.day) == ["2026-11-02"])
        #expect(b.pricing.map(\.wabaTimezone) == ["Asia/Kolkata"])
    }
}
