import Foundation

/// A plain decimal number read from text without loss and without `Decimal`: `±mantissa × 10^-scale`,
/// as written (`"12.50"` is mantissa 1250, scale 2). Covers what `JSONScanner.plainDecimal` accepts:
/// `-?digits(.digits)?` with at most 18 significant digits, so the mantissa always fits.
///
/// The analytics pages are mostly whole counts (`sent`, `volume`, click counts): reading them here
/// makes `LenientDecimal.int64` a division at most, and a `Decimal` is built only for the values a
/// row keeps as `numeric` (costs, conversion values), with the value `Decimal(string:)` gives.
struct ScaledDecimal: Sendable, Hashable {
    var mantissa: UInt64
    /// Fraction digits as written (0…18).
    var scale: Int
    var negative: Bool

    private static let powersOfTen: [UInt64] = (0...18).map { (0..<$0).reduce(UInt64(1)) { p, _ in p * 10 } }

    /// `-?digits(.digits)?`, at most 18 digits in all, no sign `+`, no exponent, no spaces; nil otherwise.
    init?<C: Collection>(text: C) where C.Element == UInt8 {
        var negative = false, point = false
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var first = true
        for c in text {
            defer { first = false }
            if first && c == UInt8(ascii: "-") { negative = true; continue }
            if c == UInt8(ascii: ".") {
                guard !point, digits > 0 else { return nil }
                point = true
                continue
            }
            let d = c &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            mantissa = mantissa &* 10 &+ UInt64(d)
            digits += 1
            if point { fraction += 1 }
        }
        guard digits > 0 && digits <= 18, !point || fraction > 0 else { return nil }
        self.mantissa = mantissa; self.scale = fraction; self.negative = negative
    }

    /// The whole number this is, or nil when it has a non-zero fraction (`12.0` is 12, `-0` is 0).
    var int64: Int64? {
        let divisor = Self.powersOfTen[scale]
        guard mantissa % divisor == 0 else { return nil }
        let whole = Int64(mantissa / divisor)
        return negative ? -whole : whole
    }

    /// The same `Decimal` as `Decimal(string:)` of the text (zero is plain `0`, whatever its sign or scale).
    var decimal: Decimal {
        if mantissa == 0 { return Decimal(0) }
        return Decimal(sign: negative ? .minus : .plus, exponent: -scale, significand: Decimal(mantissa))
    }
}
