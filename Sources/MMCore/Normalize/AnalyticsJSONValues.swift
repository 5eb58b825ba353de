import Foundation

/// The values of analytics pages read straight from the bytes, with the meaning the `Decodable`
/// types give them (`LenientDecimal`, `LenientInstant`, optional strings). A shape those types would
/// read differently, or not at all, throws: the page then goes through the `Decodable` path, which
/// either reads it or names the problem (`GraphPage.decode`). So the scanner never decides an edge
/// case on its own.
extension JSONScanner {
    /// `String?`: a string, or nil for `null`; any other value throws. Interned: a page repeats
    /// its dimension values, types and ids.
    mutating func optionalString() throws -> String? {
        if try consumeNull() { return nil }
        return try internedString()
    }

    /// `LenientDecimal?`: a number, a numeric string, or nil for `null`. Plain numbers (the usual
    /// case) are read straight from the bytes into a `ScaledDecimal`: no `String`, no `Decimal`.
    mutating func lenientDecimal() throws -> LenientDecimal? {
        switch peek() {
        case UInt8(ascii: "n"):
            _ = try consumeNull()
            return nil
        case UInt8(ascii: "\""):
            if let value = try quotedPlainNumber() { return value }
            let text = try string()
            guard let value = LenientDecimal(text: text) else { throw fail("not a number") }
            return value
        default:
            let range = try numberRange()
            guard let value = ScaledDecimal(text: UnsafeBufferPointer(rebasing: bytes[range])) else { throw fail("unusual number") }
            return LenientDecimal(value)
        }
    }

    /// A string holding a plain number (no escapes, no spaces), consumed; nil, with nothing
    /// consumed, for any other string (the caller reads it as text).
    mutating func quotedPlainNumber() throws -> LenientDecimal? {
        let save = index
        if let raw = try rawString(), let value = ScaledDecimal(text: raw) { return LenientDecimal(value) }
        index = save
        return nil
    }

    /// `LenientInstant`: integer epoch seconds (number or string) or a `YYYY-MM-DD` string.
    mutating func lenientInstant() throws -> LenientInstant {
        if peek() == UInt8(ascii: "\"") {
            // The usual strings (a date, epoch digits) straight from the bytes; others as text.
            let save = index
            if let raw = try rawString() {
                if let day = Day(utf8: raw) { return .date(day) }
                if let epoch = Self.plainInteger(raw) { return .epoch(epoch) }
            }
            index = save
            guard let instant = LenientInstant(text: try string()) else { throw fail("not an instant") }
            return instant
        }
        let range = try numberRange()
        guard let value = Self.plainInteger(UnsafeBufferPointer(rebasing: bytes[range])) else { throw fail("unusual number") }
        return .epoch(value)
    }

    /// A template id: a string, or an integer number as its decimal text.
    mutating func idText() throws -> String {
        if peek() == UInt8(ascii: "\"") { return try internedString() }
        let range = try numberRange()
        guard let value = Self.plainInteger(UnsafeBufferPointer(rebasing: bytes[range])) else { throw fail("unusual id") }
        return String(value)
    }

    /// `-?digits` of at most 18 digits (no sign `+`, no exponent); nil otherwise.
    static func plainInteger<C: Collection>(_ text: C) -> Int64? where C.Element == UInt8 {
        var negative = false
        var value: Int64 = 0
        var digits = 0
        for (i, c) in text.enumerated() {
            if i == 0 && c == UInt8(ascii: "-") { negative = true; continue }
            let d = c &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int64(d)
            digits += 1
        }
        guard digits > 0 && digits <= 18 else { return nil }
        return negative ? -value : value
    }

    /// `-?digits(.digits)?` of at most 18 significant digits as a `Decimal` (what `Decimal(string:)`
    /// reads from the same text); nil for anything else (exponents, spaces, signs `+`, long numbers).
    static func plainDecimal<C: Collection>(_ text: C) -> Decimal? where C.Element == UInt8 {
        ScaledDecimal(text: text)?.decimal
    }

    /// The items of a page's `data` array, read by `item`: `{"data":[…]}` at the top level wins;
    /// else the one `{"<field>":{"data":[…]}}` (field expansion). Throws when there is neither, on a
    /// repeated `data` key or two expanded fields with data (where `GraphPage`'s choice is its
    /// own), and on invalid JSON.
    static func graphPageItems<Item>(_ bytes: [UInt8], _ item: (inout JSONScanner) throws -> Item) throws -> [Item] {
        try bytes.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(buffer)
            s.skipWhitespace()
            guard s.nextIsObject else { throw s.fail("a page is an object") }
            var top: [Item]?
            var nested: [Item]?
            try s.object { key, s in
                switch key {
                case "data":
                    if try s.consumeNull() { return }
                    guard top == nil else { throw s.fail("repeated data") }
                    top = try s.items(item)
                case "id", "paging":
                    try s.skipValue()
                default:
                    guard top == nil, s.nextIsObject else { return try s.skipValue() }
                    var found: [Item]?
                    try s.object { key, s in
                        guard case "data" = key else { return try s.skipValue() }
                        if try s.consumeNull() { return }
                        guard found == nil else { throw s.fail("repeated data") }
                        found = try s.items(item)
                    }
                    guard let found else { return }
                    guard nested == nil else { throw s.fail("more than one expanded field with data") }
                    nested = found
                }
            }
            try s.finish()
            guard let data = top ?? nested else { throw s.fail("no data array") }
            return data
        }
    }

    /// An array read element by element.
    mutating func items<Item>(_ item: (inout JSONScanner) throws -> Item) throws -> [Item] {
        guard nextIsArray else { throw fail("expected an array") }
        var out: [Item] = []
        try array { s in out.append(try item(&s)) }
        return out
    }

    /// An optional array (`null` is nil).
    mutating func optionalItems<Item>(_ item: (inout JSONScanner) throws -> Item) throws -> [Item]? {
        if try consumeNull() { return nil }
        return try items(item)
    }
}
