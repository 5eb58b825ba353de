import Foundation
import Testing
@testable import MMCore

/// `Day`'s text without Foundation formatting or `String` splitting reads and writes exactly what
/// the `String` forms do.
@Suite struct DayTextTests {
    @Test func descriptionIsTheFormattedDate() {
        var ordinal = Day(year: 0, month: 1, day: 1).ordinal
        let last = Day(year: 9999, month: 12, day: 31).ordinal
        while ordinal <= last {
            let day = Day(ordinal: ordinal)
            let c = day.components
            #expect(day.description == String(format: "%04d-%02d-%02d", c.year, c.month, c.day))
            ordinal += 997
        }
        for day in [Day(year: -1, month: 12, day: 31), Day(year: 10_000, month: 1, day: 1), Day(year: 2024, month: 2, day: 29)] {
            let c = day.components
            #expect(day.description == String(format: "%04d-%02d-%02d", c.year, c.month, c.day))
        }
    }

    @Test func bytesParseAsTheString() {
        let texts = ["2026-10-01", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-04-31",
                     "0000-01-01", "9999-12-31", "2026-1-01", "2026/10/01", "20261001", "2026-10-01T", " 2026-10-0",
                     "2026-10-0a", "+026-10-01", "-026-10-01", "2026--0-01", "", "2026-10-011", "2026-+1-01",
                     "2026-01-+5", "+++++-+1-+1", "2026-+0-01", "+000-01-01"]
        for text in texts {
            #expect(Day(utf8: Array(text.utf8)) == Day(text), "\(text)")
        }
        var g = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let text = String(format: "%04d-%02d-%02d", Int(g.next() % 10_000), Int(g.next() % 14), Int(g.next() % 33))
            #expect(Day(utf8: Array(text.utf8)) == Day(text), "\(text)")
        }
    }
}
