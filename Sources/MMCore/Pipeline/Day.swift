import Foundation

/// A calendar date without a timezone (`YYYY-MM-DD`), ordered, with day arithmetic.
/// Stored as days since 1970-01-01 so arithmetic never touches a calendar or a clock.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, Strideable {
    /// Days since 1970-01-01.
    public var ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// Parses `YYYY-MM-DD` strictly (real calendar dates only).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= Day.daysInMonth(y, m) else { return nil }
        ordinal = Day.daysFromCivil(y, m, d)
    }

    public init(year: Int, month: Int, day: Int) { ordinal = Day.daysFromCivil(year, month, day) }

    /// The UTC date of an epoch-seconds instant.
    public init(epochSecondsUTC seconds: Int64) {
        ordinal = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
    }

    public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(ordinal) }
    public var description: String {
        if let text = isoText { return text }
        let c = components
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }
    /// Midnight UTC of this date, in epoch seconds.
    public var epochSecondsUTC: Int64 { Int64(ordinal) * 86_400 }
    /// First day of this date's month.
    public var monthStart: Day { let c = components; return Day(year: c.year, month: c.month, day: 1) }
    /// First day of the next month.
    public var nextMonthStart: Day {
        let c = components
        return c.month == 12 ? Day(year: c.year + 1, month: 1, day: 1) : Day(year: c.year, month: c.month + 1, day: 1)
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }
    public func distance(to other: Day) -> Int { other.ordinal - ordinal }
    public func advanced(by n: Int) -> Day { Day(ordinal: ordinal + n) }
    public static func + (d: Day, n: Int) -> Day { d.advanced(by: n) }
    public static func - (d: Day, n: Int) -> Day { d.advanced(by: -n) }

    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(s)"))
        }
        self = d
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer(); try c.encode(description)
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
    // Howard Hinnant's civil-from-days algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
