/// Send-log timestamps: parsed without a calendar or a formatter (millions per load), kept as
/// microseconds since the Unix epoch, and written back as PostgreSQL `timestamptz` text.
public enum SendLogTime {
    /// Parses epoch seconds (`1750030073`, `"1750030073"`, `1750030073.25`), epoch milliseconds
    /// (13 digits or more: values ≥ 10¹¹ are taken as milliseconds), or ISO-8601
    /// (`2026-11-24T10:00:00Z`, `…T10:00:00.123+02:00`, `…T10:00:00+0200`, a space instead of `T`;
    /// no offset means UTC). Returns nil for anything else, including a date without a time.
    public static func parse(_ text: String) -> Int64? {
        var t = text
        return t.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var s = 0, e = b.count
        while s < e, b[s] == 0x20 { s += 1 }
        while e > s, b[e - 1] == 0x20 { e -= 1 }
        guard s < e else { return nil }
        if e - s >= 16, b[s + 4] == UInt8(ascii: "-") { return parseISO(b, s, e) }
        return parseEpoch(b, s, e)
    }

    private static func digit(_ c: UInt8) -> Int? {
        let d = c &- UInt8(ascii: "0")
        return d < 10 ? Int(d) : nil
    }

    private static func parseEpoch(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int64? {
        var i = s
        var whole: Int64 = 0
        var digits = 0
        while i < e, let d = digit(b[i]) {
            guard digits < 16 else { return nil }
            whole = whole * 10 + Int64(d); digits += 1; i += 1
        }
        guard digits > 0 else { return nil }
        var fracMicros: Int64 = 0
        if i < e, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale: Int64 = 100_000
            var fd = 0
            while i < e, let d = digit(b[i]) {
                fracMicros += Int64(d) * scale; scale /= 10; fd += 1; i += 1
            }
            guard fd > 0 else { return nil }
        }
        guard i == e else { return nil }
        if whole >= 100_000_000_000 {  // milliseconds
            return whole * 1_000 + fracMicros / 1_000_000 * 1_000
        }
        return whole * 1_000_000 + fracMicros
    }

    private static func parseISO(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int64? {
        func num(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= e else { return nil }
            var v = 0
            for k in at..<(at + n) { guard let d = digit(b[k]) else { return nil }; v = v * 10 + d }
            return v
        }
        guard let y = num(s, 4), b[s + 4] == UInt8(ascii: "-"), let mo = num(s + 5, 2), b[s + 7] == UInt8(ascii: "-"),
              let d = num(s + 8, 2), b[s + 10] == UInt8(ascii: "T") || b[s + 10] == UInt8(ascii: "t") || b[s + 10] == 0x20,
              let h = num(s + 11, 2), b[s + 13] == UInt8(ascii: ":"), let mi = num(s + 14, 2) else { return nil }
        guard (1...12).contains(mo), d >= 1, d <= Day.daysInMonth(y, mo), h <= 23, mi <= 59 else { return nil }
        var i = s + 16
        var sec = 0
        var micros: Int64 = 0
        if i < e, b[i] == UInt8(ascii: ":") {
            guard let v = num(i + 1, 2), v <= 60 else { return nil }
            sec = v; i += 3
            if i < e, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var scale: Int64 = 100_000
                var fd = 0
                while i < e, let dd = digit(b[i]) { micros += Int64(dd) * scale; scale /= 10; fd += 1; i += 1 }
                guard fd > 0 else { return nil }
            }
        }
        var offsetSeconds = 0
        if i < e {
            let c = b[i]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                i += 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                guard let oh = num(i + 1, 2), oh <= 23 else { return nil }
                var om = 0
                i += 3
                if i < e, b[i] == UInt8(ascii: ":") {
                    guard let v = num(i + 1, 2) else { return nil }
                    om = v; i += 3
                } else if i < e {
                    guard let v = num(i, 2) else { return nil }
                    om = v; i += 2
                }
                guard om <= 59 else { return nil }
                offsetSeconds = (oh * 3600 + om * 60) * (c == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == e else { return nil }
        let days = Int64(Day.daysFromCivil(y, mo, d))
        let seconds = days * 86_400 + Int64(h * 3600 + mi * 60 + sec) - Int64(offsetSeconds)
        return seconds * 1_000_000 + micros
    }

    /// `2026-11-24 10:00:00.123456+00`: the PostgreSQL text form of a `timestamptz`, in UTC.
    public static func postgresText(micros: Int64) -> String {
        var secs = micros / 1_000_000
        var frac = micros % 1_000_000
        if frac < 0 { frac += 1_000_000; secs -= 1 }
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = Day.civilFromDays(Int(days))
        // One allocation: this runs for every send-log record.
        return String(unsafeUninitializedCapacity: 32) { out in
            var i = 0
            func put(_ v: Int, _ width: Int) {
                var x = v
                for k in stride(from: width - 1, through: 0, by: -1) { out[i + k] = UInt8(ascii: "0") + UInt8(x % 10); x /= 10 }
                i += width
            }
            func sep(_ c: UInt8) { out[i] = c; i += 1 }
            put(y, 4); sep(UInt8(ascii: "-")); put(m, 2); sep(UInt8(ascii: "-")); put(d, 2)
            sep(0x20)
            put(Int(rem / 3600), 2); sep(UInt8(ascii: ":")); put(Int(rem % 3600 / 60), 2)
            sep(UInt8(ascii: ":")); put(Int(rem % 60), 2)
            if frac != 0 { sep(UInt8(ascii: ".")); put(Int(frac), 6) }
            sep(UInt8(ascii: "+")); sep(UInt8(ascii: "0")); sep(UInt8(ascii: "0"))
            return i
        }
    }
}
