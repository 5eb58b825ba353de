import Foundation

/// Short number labels for axes and hover values (the tables beneath show the exact text).
enum NumberFormat {
    /// `1234567` → `1.23M`, `0.0123` → `0.0123`, `42` → `42`.
    static func short(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1_000_000_000 { return trim(v / 1_000_000_000, 2) + "B" }
        if a >= 1_000_000 { return trim(v / 1_000_000, 2) + "M" }
        if a >= 10_000 { return trim(v / 1_000, 1) + "k" }
        if a == 0 { return "0" }
        if a >= 100 { return trim(v, 0) }
        if a >= 1 { return trim(v, 2) }
        return trim(v, 4)
    }

    /// `v` with at most `digits` decimals, trailing zeros removed.
    static func trim(_ v: Double, _ digits: Int) -> String {
        var s = String(format: "%.\(digits)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}
