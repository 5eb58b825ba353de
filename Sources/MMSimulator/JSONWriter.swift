/// Writes JSON straight into a byte array: no dictionaries, no JSONSerialization.
///
/// `metaStyle` escapes like graph.facebook.com does: every non-ASCII character as `\uXXXX`
/// (surrogate pairs for emoji) and `/` as `\/`. Any JSON decoder reads both forms.
struct JSONWriter {
    var bytes: [UInt8] = []
    private var needComma = false
    let metaStyle: Bool

    init(capacity: Int = 4096, metaStyle: Bool = true) {
        bytes.reserveCapacity(capacity)
        self.metaStyle = metaStyle
    }

    @inline(__always) private mutating func separator() {
        if needComma { bytes.append(UInt8(ascii: ",")) }
    }

    mutating func beginObject() { separator(); bytes.append(UInt8(ascii: "{")); needComma = false }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needComma = true }
    mutating func beginArray() { separator(); bytes.append(UInt8(ascii: "[")); needComma = false }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needComma = true }

    /// An object key; the next call writes its value.
    mutating func key(_ k: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needComma = false
    }

    mutating func key(_ k: String) {
        separator()
        writeString(k)
        bytes.append(UInt8(ascii: ":"))
        needComma = false
    }

    mutating func string(_ s: String) { separator(); writeString(s); needComma = true }
    mutating func string(_ s: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        needComma = true
    }
    mutating func int(_ v: Int) { separator(); writeInt(Int64(v)); needComma = true }
    mutating func int(_ v: Int64) { separator(); writeInt(v); needComma = true }
    mutating func bool(_ v: Bool) { separator(); bytes.append(contentsOf: v ? Self.trueBytes : Self.falseBytes); needComma = true }
    mutating func null() { separator(); bytes.append(contentsOf: Self.nullBytes); needComma = true }
    /// A JSON number held as millionths: 925000 → 0.925 (trailing zeros dropped).
    mutating func micros(_ v: Int64) { separator(); writeMicros(v); needComma = true }
    /// An integer, or the same as a JSON string when `quoted`.
    mutating func count(_ v: Int, quoted: Bool) {
        separator()
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        writeInt(Int64(v))
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        needComma = true
    }
    /// Starts a new top-level value (NDJSON): no comma before the next one.
    mutating func resetSeparator() { needComma = false }

    /// Raw bytes that already form one JSON value.
    mutating func raw(_ s: String) { separator(); bytes.append(contentsOf: s.utf8); needComma = true }

    mutating func keyString(_ k: StaticString, _ v: String) { key(k); string(v) }
    mutating func keyInt(_ k: StaticString, _ v: Int) { key(k); int(v) }

    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8), nullBytes = Array("null".utf8)
    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func writeInt(_ v: Int64) {
        if v < 0 {
            bytes.append(UInt8(ascii: "-"))
            if v == Int64.min { bytes.append(contentsOf: "9223372036854775808".utf8); return }
        }
        var n = v < 0 ? UInt64(-v) : UInt64(v)
        if n < 10 { bytes.append(UInt8(48 + n)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while n > 0 {
                buf[19 - len] = UInt8(48 + n % 10)
                n /= 10
                len += 1
            }
            bytes.append(contentsOf: buf[(20 - len)...])
        }
    }

    private mutating func writeMicros(_ v: Int64) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        let a = v < 0 ? -v : v
        writeInt(a / 1_000_000)
        var frac = a % 1_000_000
        guard frac != 0 else { return }
        var digits = 6
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        bytes.append(UInt8(ascii: "."))
        var div: Int64 = 1
        for _ in 1..<digits { div *= 10 }
        while div > 0 {
            bytes.append(UInt8(48 + frac / div % 10))
            div /= 10
        }
    }

    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        if metaStyle {
            for unit in s.utf16 { writeUTF16(unit) }
        } else {
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
                case 0..<0x20: writeControl(b)
                default: bytes.append(b)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always) private mutating func writeUTF16(_ unit: UInt16) {
        switch unit {
        case UInt16(UInt8(ascii: "\"")), UInt16(UInt8(ascii: "\\")), UInt16(UInt8(ascii: "/")):
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(unit))
        case 0..<0x20: writeControl(UInt8(unit))
        case 0x20..<0x80: bytes.append(UInt8(unit))
        default:
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "u"))
            bytes.append(Self.hex[Int(unit >> 12)])
            bytes.append(Self.hex[Int(unit >> 8 & 0xF)])
            bytes.append(Self.hex[Int(unit >> 4 & 0xF)])
            bytes.append(Self.hex[Int(unit & 0xF)])
        }
    }

    private mutating func writeControl(_ b: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch b {
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), 48, 48, Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]])
        }
    }
}
