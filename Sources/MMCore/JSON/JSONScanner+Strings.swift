/// Strings and keys of `JSONScanner`: validation, unescaping and the allocation-free key.
extension JSONScanner.Key {
    /// The key as text (allocates: for keys that are not one of a reader's literals).
    var text: String { decoded ?? String(decoding: raw, as: UTF8.self) }
}

extension JSONScanner {
    mutating func readKey() throws -> Key {
        let start = index + 1
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
        guard raw.contains(UInt8(ascii: "\\")) else { return Key(raw: raw) }
        var again = JSONScanner(bytes)
        again.index = start - 1
        return Key(raw: raw, decoded: try again.string())
    }

    mutating func skipString() throws {
        index += 1  // opening quote
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") { index += 1; return }
            if c < 0x20 { throw fail("control character in string") }
            if c == UInt8(ascii: "\\") {
                index += 1
                guard let e = next() else { break }
                switch e {
                case UInt8(ascii: "u"): _ = try hex4()
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): break
                default: throw fail("invalid escape in string")
                }
            } else {
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// The raw bytes of a string value without escapes, consumed (control characters throw, as in
    /// `string()`); nil at the first escape, with the scanner left inside the string: the caller
    /// rewinds and reads it with `string()`.
    mutating func rawString() throws -> UnsafeBufferPointer<UInt8>? {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let start = index + 1
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                index = i + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<i])
            }
            if c == UInt8(ascii: "\\") { return nil }
            if c < 0x20 { throw fail("control character in string") }
            i += 1
        }
        throw fail("unterminated string")
    }

    /// `string()`, made once per distinct value in this document (`StringInterner`) when it has no
    /// escapes: for the values a document repeats.
    mutating func internedString() throws -> String {
        let save = index
        if let raw = try rawString() { return strings.string(raw) }
        index = save
        return try string()
    }

    /// `key.text`, made once per distinct key in this document.
    mutating func internedText(of key: Key) -> String {
        key.decoded ?? strings.string(key.raw)
    }

    /// Reads a string value (the scanner is on its opening quote).
    mutating func string() throws -> String {
        // Fast path: no escapes.
        if let raw = try rawString() { return String(decoding: raw, as: UTF8.self) }
        // `rawString()` stopped at the first escape and left `index` on the opening quote.
        let start = index + 1
        var i = start
        while bytes[i] != UInt8(ascii: "\\") { i += 1 }
        var out = Array(bytes[start..<i])
        index = i
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); index += 1; continue }
            index += 1
            guard let e = next() else { break }
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count,
                   bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                    }
                }
                // U+0000 cannot be stored in PostgreSQL text: it becomes U+FFFD like invalid scalars.
                let u = scalar == 0 ? "\u{FFFD}" : Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("invalid escape in string")
            }
        }
        throw fail("unterminated string")
    }

    mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | UInt32(d)
            index += 1
        }
        return v
    }

}
