import Foundation
import Testing
@testable import MMSimulator

@Suite struct DataModelTests {
    let business = SimulatedBusiness(seed: 42, businessID: "1000000000000001", wabaCount: 8, templatesPerWABA: 25)

    @Test func sameSeedSameModelOtherSeedOther() {
        let again = SimulatedBusiness(seed: 42, businessID: "1000000000000001", wabaCount: 8, templatesPerWABA: 25)
        let other = SimulatedBusiness(seed: 43, businessID: "1000000000000001", wabaCount: 8, templatesPerWABA: 25)
        #expect(business.wabaIDs == again.wabaIDs)
        #expect(business.wabas[3].templates.map(\.id) == again.wabas[3].templates.map(\.id))
        #expect(business.wabaIDs != other.wabaIDs)
        let c1 = business.counts(waba: 0, template: 0, day: asOfDay - 20, product: .mmAPI, asOf: asOfDay)
        let c2 = again.counts(waba: 0, template: 0, day: asOfDay - 20, product: .mmAPI, asOf: asOfDay)
        #expect(c1 == c2)
    }

    @Test func idsAreNumericAndUnique() {
        var all = Set<String>()
        for w in business.wabas {
            #expect(all.insert(w.id).inserted)
            for t in w.templates {
                #expect((15...16).contains(t.id.count) && t.id.allSatisfy(\.isNumber))
                #expect(all.insert(t.id).inserted)
            }
            for p in w.phoneNumbers { #expect(all.insert(p.id).inserted) }
            #expect((1...2).contains(w.phoneNumbers.count))
            #expect(TimeZoneIDs.table[w.timezoneID] == w.timezoneName)
        }
        #expect(Set(business.wabas.map(\.currency)) == ["USD", "BRL", "EUR", "INR", "GBP"])
    }

    @Test func quirksAreWhereDocumented() {
        let w = business.wabas
        #expect(w[1].onCreditLine && !w[0].onCreditLine)
        #expect(!w[2].clickAndConversionMetrics && w[0].clickAndConversionMetrics)
        #expect(w[1].conversionStyle == .array && w[0].conversionStyle == .extraKeys)
        #expect(w[2].numbersAsStrings)
        #expect(!w[5].isEnabledForInsights && w.filter { !$0.isEnabledForInsights }.count == 1)
        let small = SimulatedBusiness(seed: 1, businessID: "1", wabaCount: 3, templatesPerWABA: 5)
        #expect(small.wabas.allSatisfy { $0.isEnabledForInsights })
        // Benchmark cohorts: several WABAs share business country + industry.
        let cohorts = Dictionary(grouping: w, by: { "\($0.businessCountry)/\($0.industry)" })
        #expect(cohorts.values.contains { $0.count >= 2 })
        // Hostile strings exist.
        let names = w.flatMap(\.templates).map(\.name) + w.flatMap(\.templates).compactMap(\.urlButtonText)
        #expect(names.contains { $0.contains("\"") } && names.contains { $0.contains("\\") })
        #expect(names.contains { $0.contains("\t") } && names.contains { $0.unicodeScalars.contains { $0.value > 0xFFFF } })
    }

    @Test func countsAreConsistent() {
        var seen = 0
        for w in business.wabas {
            for t in w.templates {
                for p in SimProduct.allCases {
                    for d in (asOfDay - 40)...asOfDay {
                        guard let c = business.counts(waba: w.index, template: t.index, day: d, product: p, asOf: asOfDay) else { continue }
                        seen += 1
                        #expect(c.sent > 0 && c.delivered <= c.sent && c.read <= c.delivered)
                        #expect(c.uniqueURLClicks <= c.urlClicks)
                        #expect(c.deliveredByCountry.reduce(0) { $0 + $1.count } == c.delivered)
                        #expect(!c.deliveredByCountry.contains { $0.country == "US" })
                        if p == .cloudAPI { #expect(c.conversions.isEmpty) }
                        if p == .mmAPI { #expect(t.isMarketing && c.sent >= 5 && c.sent <= 60) }
                        if !w.clickAndConversionMetrics && p == .mmAPI { #expect(c.urlClicks == 0 && c.conversions.isEmpty) }
                        if t.status == "REJECTED" { Issue.record("rejected template sent") }
                    }
                }
            }
        }
        #expect(seen > 1000)
        #expect(business.counts(waba: 0, template: 0, day: asOfDay + 1, product: .mmAPI, asOf: asOfDay) == nil)
    }

    @Test func lateAttributionMovesOnlyRecentDays() {
        let later = asOfDay + 5
        var recentChanged = 0
        for w in business.wabas.prefix(3) {
            for t in w.templates {
                for d in (asOfDay - 30)...asOfDay {
                    let a = business.counts(waba: w.index, template: t.index, day: d, product: .mmAPI, asOf: asOfDay)
                    let b = business.counts(waba: w.index, template: t.index, day: d, product: .mmAPI, asOf: later)
                    #expect((a == nil) == (b == nil))
                    guard let a, let b else { continue }
                    #expect(a.sent == b.sent && a.delivered == b.delivered && a.amountSpentMicros == b.amountSpentMicros)
                    #expect(b.read >= a.read && b.urlClicks >= a.urlClicks)
                    let age = asOfDay - d
                    if age >= LateAttribution.conversionSettleDays {
                        #expect(a == b)
                    } else if age >= LateAttribution.readClickSettleDays {
                        #expect(a.read == b.read && a.urlClicks == b.urlClicks)
                    }
                    if a.read != b.read { recentChanged += 1 }
                }
            }
        }
        #expect(recentChanged > 10)
    }

    @Test func marketingLitePricingEqualsMMDelivered() {
        for w in business.wabas.prefix(4) {
            for d in (asOfDay - 10)...asOfDay {
                let rows = business.pricingRows(waba: w.index, day: d)
                let lite = rows.filter { $0.category == "MARKETING_LITE" }.reduce(0) { $0 + $1.volume }
                let mm = w.templates.compactMap { business.counts(waba: w.index, template: $0.index, day: d, product: .mmAPI, asOf: asOfDay) }
                #expect(lite == mm.reduce(0) { $0 + $1.delivered })
                let liteCost = rows.filter { $0.category == "MARKETING_LITE" }.reduce(Int64(0)) { $0 + $1.costMicros }
                #expect(liteCost == mm.reduce(Int64(0)) { $0 + $1.amountSpentMicros })
                // Free types have no tier; service-window messages are charged from 2026-10-01.
                for r in rows where r.type != "REGULAR" {
                    #expect(r.tier == nil)
                    #expect((r.costMicros > 0) == (r.type == "FREE_CUSTOMER_SERVICE" && d >= SimulatedBusiness.serviceChargedFrom))
                }
            }
        }
        let categories = Set((asOfDay - 60...asOfDay).flatMap { d in business.pricingRows(waba: 0, day: d).map(\.category) })
        #expect(categories.isSuperset(of: ["MARKETING_LITE", "MARKETING", "UTILITY", "SERVICE", "AUTHENTICATION", "MARKETING_LITE_DYNAMIC"]))
    }

    @Test func trueCountsByIDs() {
        let w = business.wabas[0]
        let d = (asOfDay - 20...asOfDay).first { business.counts(waba: 0, template: 0, day: $0, product: .mmAPI, asOf: asOfDay) != nil }!
        let byIndex = business.counts(waba: 0, template: 0, day: d, product: .mmAPI, asOf: asOfDay)
        #expect(business.trueCounts(wabaID: w.id, templateID: w.templates[0].id, day: CivilDate.format(d), product: .mmAPI, asOf: testAsOf) == byIndex)
        #expect(business.trueCounts(wabaID: w.id, templateID: business.wabas[1].templates[0].id, day: CivilDate.format(d), product: .mmAPI, asOf: testAsOf) == nil)
    }
}
