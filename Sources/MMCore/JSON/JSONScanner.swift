/// A validating, allocation-light JSON pull scanner over a buffer of bytes (one send-log line, one
/// analytics page).
///
/// The send log is millions of small objects of which we read a dozen known keys, and an analytics
/// page is hundreds of data points of a few known keys, so instead of building a tree (or decoding
/// with `JSONDecoder`, ≈ 10× slower) the readers walk the bytes once: known keys are read into Swift
/// values, every other value is skipped — but still validated, so a document that is not JSON is
/// rejected whatever key it breaks in. Strict RFC 8259 grammar, except that invalid UTF-8 inside
/// strings is repaired rather than refused, and `\u0000` becomes U+FFFD (PostgreSQL text cannot hold it).
struct JSONScanner {
    struct Failure: Error, Equatable { var message: String }

    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int = 0
    private var depth = 0
    /// Strings read through `internedString()`/`internedText(of:)`, made once per document.
    var strings = StringInterner()
    private static let maxDepth = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: structure

    /// An object key, compared with string literals without allocating (`case "wamid":`).
    struct Key {
        /// The key's bytes when it has no escapes.
        var raw: UnsafeBufferPointer<UInt8>
        /// The decoded key when it had escapes.
        var decoded: String?

        @inline(__always)
        static func ~= (pattern: StaticString, key: Key) -> Bool {
            if let d = key.decoded { return d == pattern.description }
            let n = pattern.utf8CodeUnitCount
            guard n == key.raw.count else { return false }
            let p = pattern.utf8Start
            for i in 0..<n where p[i] != key.raw[i] { return false }
            return true
        }
    }

    /// Iterates the members of an object; `body` must consume each value (read or `skipValue`).
    mutating func object(_ body: (Key, inout JSONScanner) throws -> Void) throws {
        try enter()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; depth -= 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let key = try readKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try body(key, &self)
            skipWhitespace()
            guard let c = next() else { throw fail("unterminated object") }
            if c == UInt8(ascii: "}") { break }
            if c != UInt8(ascii: ",") { throw fail("expected ',' or '}'") }
        }
        depth -= 1
    }

    /// Iterates the elements of an array; `body` must consume each element.
    mutating func array(_ body: (inout JSONScanner) throws -> Void) throws {
        try enter()
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; depth -= 1; return }
        while true {
            skipWhitespace()
            try body(&self)
            skipWhitespace()
            guard let c = next() else { throw fail("unterminated array") }
            if c == UInt8(ascii: "]") { break }
            if c != UInt8(ascii: ",") { throw fail("expected ',' or ']'") }
        }
        depth -= 1
    }

    /// Skips (and validates) any value.
    mutating func skipValue() throws {
        switch peek() {
        case UInt8(ascii: "{"): try object { _, s in try s.skipValue() }
        case UInt8(ascii: "["): try array { s in try s.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case .some: _ = try numberRange()
        case nil: throw fail("unexpected end of line")
        }
    }

    /// The value as text when it is a string or a number (ids arrive as either); nil for `null`;
    /// `"true"`/`"false"` for booleans. Objects and arrays are a type error naming `field`.
    mutating func scalarText(field: String) throws -> String? {
        switch peek() {
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "n"): try literal("null"); return nil
        case UInt8(ascii: "t"): try literal("true"); return "true"
        case UInt8(ascii: "f"): try literal("false"); return "false"
        case UInt8(ascii: "{"), UInt8(ascii: "["): throw Failure(message: "field \(field): expected a string or a number")
        case .some:
            let r = try numberRange()
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
        case nil: throw fail("unexpected end of line")
        }
    }

    /// A boolean; also accepts the strings "true"/"false" and the numbers 0/1. Nil for `null`.
    mutating func bool(field: String) throws -> Bool? {
        guard let text = try scalarText(field: field) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw Failure(message: "field \(field): expected a boolean")
        }
    }

    /// Whether the next value is `null` (and consumes it if so).
    mutating func consumeNull() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    var nextIsObject: Bool { peek() == UInt8(ascii: "{") }
    var nextIsArray: Bool { peek() == UInt8(ascii: "[") }

    /// After the top-level value: only whitespace may follow.
    mutating func finish() throws {
        skipWhitespace()
        if index < bytes.count { throw fail("unexpected text after the JSON value") }
    }

    // MARK: tokens

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func expect(_ c: UInt8) throws {
        guard next() == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
    }

    mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw fail("invalid literal") }
        let w = word.utf8Start
        for k in 0..<n where bytes[index + k] != w[k] { throw fail("invalid literal") }
        index += n
    }

    /// Validates a JSON number and returns its byte range.
    mutating func numberRange() throws -> Range<Int> {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw fail("invalid value") }
        if first == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let d = peek(), isDigit(d) else { throw fail("invalid number") }
            skipDigits()
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
            guard let d = peek(), isDigit(d) else { throw fail("invalid number") }
            skipDigits()
        }
        return start..<index
    }

    mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    func fail(_ message: String) -> Failure {
        Failure(message: "invalid JSON at byte \(index + 1): \(message)")
    }
}
