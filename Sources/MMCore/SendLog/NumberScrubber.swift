/// Masks anything in free text that could be a recipient's phone number, in any formatting.
///
/// Contract: after `scrub`, no run of 7 or more digits remains, counting digits separated only by
/// spaces, dots, dashes, slashes, parentheses or a `+` (`+49 (151) 234-5678`, `49.151.2345678`),
/// nor such digits written as JSON `\u00XX` escapes (which are decoded first, for ASCII). ISO
/// dates (`2026-11-30`) are kept, so a rejected line still says when it happened. Ids (wamids'
/// digits, WABA ids) are masked too: in a rejected line, safety comes first. Idempotent.
public enum NumberScrubber {
    public static let mask = "<number>"

    public static func scrub(_ text: String) -> String {
        let b = decodeASCIIEscapes(Array(text.utf8))
        guard b.contains(where: isDigit) else { return String(decoding: b, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if isDigit(b[i]) || ((b[i] == plus || b[i] == open) && i + 1 < b.count && startsRun(b, i + 1)) {
                if let d = isoDateEnd(b, i) { out.append(contentsOf: b[i..<d]); i = d; continue }
                let (end, digits) = runEnd(b, from: i)
                if digits >= 7 {
                    out.append(contentsOf: Array(mask.utf8))
                } else {
                    out.append(contentsOf: b[i..<end])
                }
                i = end
                continue
            }
            out.append(b[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let plus = UInt8(ascii: "+"), open = UInt8(ascii: "(")
    static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
    static func isSeparator(_ c: UInt8) -> Bool {
        c == 0x20 || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "/") || c == UInt8(ascii: "(")
            || c == UInt8(ascii: ")") || c == plus || c == 0x09
    }

    /// Whether a digit follows within a few separators of `i`.
    static func startsRun(_ b: [UInt8], _ i: Int) -> Bool {
        var j = i
        while j < b.count, j < i + 3, isSeparator(b[j]) { j += 1 }
        return j < b.count && isDigit(b[j])
    }

    /// End (exclusive, after the last digit) of the number-like run starting at `i`, and its digit count.
    /// Up to three separators may stand between two digits.
    static func runEnd(_ b: [UInt8], from i: Int) -> (Int, Int) {
        var j = i, digits = 0, lastDigitEnd = i + 1, gap = 0
        while j < b.count {
            if isDigit(b[j]) { digits += 1; lastDigitEnd = j + 1; gap = 0 }
            else if isSeparator(b[j]), gap < 3 { gap += 1 }
            else { break }
            j += 1
        }
        return (lastDigitEnd, digits)
    }

    /// End of an ISO date `YYYY-MM-DD` (years 1970–2099, real month and day) at `i` that is not
    /// itself part of a longer digit run; nil otherwise.
    static func isoDateEnd(_ b: [UInt8], _ i: Int) -> Int? {
        guard i + 10 <= b.count, i == 0 || !isDigit(b[i - 1]) else { return nil }
        if i >= 2, isSeparator(b[i - 1]), isDigit(b[i - 2]) { return nil }   // continues a number
        let s = Array(b[i..<(i + 10)])
        guard s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
              [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ isDigit(s[$0]) }) else { return nil }
        func n(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(s[$1] - UInt8(ascii: "0")) } }
        let y = n(0..<4), m = n(5..<7), d = n(8..<10)
        guard (1970...2099).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        if i + 10 < b.count, isDigit(b[i + 10]) || (isSeparator(b[i + 10]) && startsRun(b, i + 10)) { return nil }
        return i + 10
    }

    /// `\u00XX` escapes of printable ASCII (but `"` and `\`) replaced by the character itself.
    static func decodeASCIIEscapes(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(UInt8(ascii: "\\")) else { return b }
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 5 < b.count, b[i + 1] == UInt8(ascii: "u"),
               let v = UInt8(String(decoding: b[(i + 2)...(i + 5)], as: UTF8.self), radix: 16),
               v >= 0x20, v < 0x7F, v != UInt8(ascii: "\""), v != UInt8(ascii: "\\") {
                out.append(v); i += 6; continue
            }
            if b[i] == UInt8(ascii: "\\"), i + 1 < b.count { out.append(b[i]); out.append(b[i + 1]); i += 2; continue }
            out.append(b[i]); i += 1
        }
        return out
    }
}
