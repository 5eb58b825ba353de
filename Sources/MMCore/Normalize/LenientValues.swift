import Foundation

/// A JSON number that Meta sometimes sends as a string. Decodes `12`, `12.5`, `"12"`, `"12.5"`.
///
/// Holds either a `Decimal` (the `Decodable` path, unusual text) or the exact `ScaledDecimal` the byte
/// scanner read (plain numbers: no `Decimal` is built unless `value` is asked for). Equality and
/// hashing are by value, whichever the form.
public struct LenientDecimal: Decodable, Sendable, Hashable {
    private enum Storage: Sendable { case decimal(Decimal), scaled(ScaledDecimal) }
    private var storage: Storage

    public init(_ value: Decimal) { storage = .decimal(value) }
    init(_ scaled: ScaledDecimal) { storage = .scaled(scaled) }

    /// The number as a `Decimal` (built on demand for a scanned number).
    public var value: Decimal {
        switch storage {
        case .decimal(let d): return d
        case .scaled(let s): return s.decimal
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Decimal.self) { self.init(d); return }
        if let s = try? c.decode(String.self), let d = Self(text: s) { self = d; return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a number or a numeric string")
    }
    /// A numeric string as Meta sends it (surrounding spaces allowed); nil when not a number.
    public init?(text s: String) {
        guard !s.isEmpty, let d = Decimal(string: s.trimmingCharacters(in: .whitespaces), locale: Self.posix) else { return nil }
        self.init(d)
    }
    static let posix = Locale(identifier: "en_US_POSIX")

    /// The value as a whole number; nil when fractional or out of range.
    public var int64: Int64? {
        switch storage {
        case .scaled(let s): return s.int64
        case .decimal(let value): return Self.wholeNumber(value)
        }
    }

    private static func wholeNumber(_ value: Decimal) -> Int64? {
        // Fast path: no fraction digits (how whole numbers are read): no rounding needed.
        if value.exponent >= 0, !value.isNaN {
            let n = NSDecimalNumber(decimal: value).int64Value
            if Decimal(n) == value { return n }
        }
        var v = value, r = Decimal()
        NSDecimalRound(&r, &v, 0, .plain)
        guard r == value else { return nil }
        return Int64(exactly: NSDecimalNumber(decimal: r).int64Value).flatMap { Decimal($0) == r ? $0 : nil }
    }

    public static func == (a: LenientDecimal, b: LenientDecimal) -> Bool { a.value == b.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// `start`/`end` as epoch seconds (number or string) or a `YYYY-MM-DD` string.
public enum LenientInstant: Decodable, Sendable, Hashable {
    case epoch(Int64)
    case date(Day)
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int64.self) { self = .epoch(i); return }
        if let s = try? c.decode(String.self), let i = Self(text: s) { self = i; return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected epoch seconds or YYYY-MM-DD")
    }
    /// Epoch seconds or a `YYYY-MM-DD` date (optionally followed by `T…`) sent as a string.
    public init?(text s: String) {
        if let i = Int64(s) { self = .epoch(i); return }
        if let d = Day(String(s.prefix(10))), s.count == 10 || s.dropFirst(10).first == "T" { self = .date(d); return }
        return nil
    }
}

/// Any JSON key, for data points whose keys are open-ended (conversion metrics).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
