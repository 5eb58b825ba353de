extension Day {
    /// `Day(String)` of UTF-8 bytes, without making a `String`: `YYYY-MM-DD`, a real calendar
    /// date; nil for anything else, as `Day(String)` then is. Like `Int(_:)` there, a field may
    /// begin with `+` in place of a digit (`+026-10-01`).
    init?<C: Collection>(utf8 text: C) where C.Element == UInt8 {
        guard text.count == 10 else { return nil }
        var fields = (0, 0, 0)
        var field = 0, digits = 0, signs = 0
        for (i, c) in text.enumerated() {
            if i == 4 || i == 7 {
                guard c == UInt8(ascii: "-") else { return nil }
                field += 1
                continue
            }
            if (i == 0 || i == 5 || i == 8) && c == UInt8(ascii: "+") { signs += 1; continue }
            let d = c &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            digits += 1
            switch field {
            case 0: fields.0 = fields.0 * 10 + Int(d)
            case 1: fields.1 = fields.1 * 10 + Int(d)
            default: fields.2 = fields.2 * 10 + Int(d)
            }
        }
        let (y, m, d) = fields
        guard digits + signs == 8, digits > signs, (1...12).contains(m), d >= 1, d <= Day.daysInMonth(y, m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD` written digit by digit (what `String(format: "%04d-%02d-%02d")` gives) for
    /// years 0…9999; nil for other years.
    var isoText: String? {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return nil }
        return String(unsafeUninitializedCapacity: 10) { out in
            func put(_ value: Int, _ width: Int, at end: Int) {
                var rest = value
                for i in stride(from: end, to: end - width, by: -1) {
                    out[i] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(y, 4, at: 3)
            out[4] = UInt8(ascii: "-")
            put(m, 2, at: 6)
            out[7] = UInt8(ascii: "-")
            put(d, 2, at: 9)
            return 10
        }
    }
}
