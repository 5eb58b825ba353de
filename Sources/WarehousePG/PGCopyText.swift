import Foundation

/// PostgreSQL COPY text format, appended straight into a byte buffer (the COPY hot path).
///
/// A row is fields separated by a tab and ended by a newline. In a field, backslash, tab, newline
/// and carriage return are escaped (`\\`, `\t`, `\n`, `\r`); NULL is `\N`; every other byte,
/// UTF-8 and emoji included, passes through. So the text `\N` becomes `\\N` and stays distinct
/// from NULL, and the empty string is an empty field.
///
/// PostgreSQL text cannot hold a NUL character. The one rule for every value mmetl sends, in COPY
/// and as a bind parameter alike (`PGText.replacingNUL`): each NUL becomes U+FFFD, so the value
/// loads and visibly says a character was replaced.
public enum PGCopyText {
    public static let delimiter: UInt8 = 0x09
    public static let rowEnd: UInt8 = 0x0A
    static let backslash: UInt8 = 0x5C

    /// Appends `\N`.
    @inlinable
    public static func appendNull(to buffer: inout [UInt8]) {
        buffer.append(0x5C)
        buffer.append(UInt8(ascii: "N"))
    }

    /// Appends a text field, escaped.
    @inlinable
    public static func appendField(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &buffer) }
    }

    /// Appends a text field, escaped.
    @inlinable
    public static func appendField(_ text: Substring, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &buffer) }
    }

    /// Appends UTF-8 bytes as one field, escaping the four special bytes (through `writeEscaped`,
    /// into room for the worst case, then trimmed).
    @inlinable
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let start = buffer.count, room = 3 * bytes.count
        buffer.append(contentsOf: repeatElement(0, count: room))
        let written = buffer.withUnsafeMutableBufferPointer { writeEscaped(bytes, to: $0.baseAddress! + start) }
        buffer.removeLast(room - written)
    }

    /// Writes `bytes` escaped to `destination`, which must have room for `3 * bytes.count`
    /// bytes; returns the bytes written (the writer's path; `appendEscaped` goes through it too).
    @inlinable
    public static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        guard let source = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var written = 0
        var runStart = 0
        var index = 0
        while index < count {
            let byte = source[index]
            if byte > 0x0D && byte != 0x5C {
                index += 1
                continue
            }
            let escaped: UInt8
            switch byte {
            case 0x5C: escaped = 0x5C
            case 0x09: escaped = UInt8(ascii: "t")
            case 0x0A: escaped = UInt8(ascii: "n")
            case 0x0D: escaped = UInt8(ascii: "r")
            case 0x00: escaped = 0x00
            default:
                index += 1
                continue
            }
            let run = index - runStart
            if run > 0 {
                (destination + written).update(from: source + runStart, count: run)
                written += run
            }
            if escaped == 0x00 {  // NUL → U+FFFD
                destination[written] = 0xEF; destination[written + 1] = 0xBF; destination[written + 2] = 0xBD
                written += 3
            } else {
                destination[written] = 0x5C
                destination[written + 1] = escaped
                written += 2
            }
            index += 1
            runStart = index
        }
        let run = count - runStart
        if run > 0 {
            (destination + written).update(from: source + runStart, count: run)
            written += run
        }
        return written
    }

    /// Copies `bytes` to `destination`, which must have room for `3 * bytes.count` bytes, each NUL
    /// replaced by U+FFFD (binary COPY: no escapes, but text still cannot hold NUL); returns the
    /// bytes written.
    @inlinable
    public static func writeReplacingNUL(_ bytes: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        guard let source = bytes.baseAddress else { return 0 }
        guard memchr(source, 0, bytes.count) != nil else {
            destination.update(from: source, count: bytes.count)
            return bytes.count
        }
        var written = 0
        for byte in bytes {
            if byte == 0 {
                destination[written] = 0xEF; destination[written + 1] = 0xBF; destination[written + 2] = 0xBD
                written += 3
            } else {
                destination[written] = byte
                written += 1
            }
        }
        return written
    }

    /// Writes a decimal integer to `destination` (room for 20 bytes); returns the bytes written.
    @inlinable
    public static func writeInteger(_ value: Int64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let length = digits + (value < 0 ? 1 : 0)
        if value < 0 { destination[0] = UInt8(ascii: "-") }
        var position = length
        repeat {
            position -= 1
            destination[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return length
    }

    /// Appends a decimal integer without allocating.
    @inlinable
    public static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value >= 0 && value < 10 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = 20
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { buffer.append(UInt8(ascii: "-")) }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position..<20]))
        }
    }

    /// Appends `t` or `f`.
    @inlinable
    public static func appendBool(_ value: Bool, to buffer: inout [UInt8]) {
        buffer.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// Appends a float in its shortest round-tripping form (`inf`, `-inf`, `nan` as PostgreSQL reads them).
    @inlinable
    public static func appendDouble(_ value: Double, to buffer: inout [UInt8]) {
        if value.isNaN {
            buffer.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            buffer.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8)
        } else {
            buffer.append(contentsOf: String(value).utf8)
        }
    }

    /// Encodes one row of optional text fields (nil → NULL), newline included. Convenient for
    /// tests and small loads; the writer's field methods avoid the intermediate array.
    public static func encodeRow(_ fields: [String?]) -> [UInt8] {
        var buffer: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(delimiter) }
            if let field { appendField(field, to: &buffer) } else { appendNull(to: &buffer) }
        }
        buffer.append(rowEnd)
        return buffer
    }

    /// Decodes one COPY text line (without its newline) back into fields; the inverse of
    /// `encodeRow`, for tests and diagnostics.
    public static func decodeRow(_ line: [UInt8]) -> [String?] {
        var fields: [String?] = []
        var current: [UInt8] = []
        var isNull = false
        var index = 0
        func finish() {
            fields.append(isNull ? nil : String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
            isNull = false
        }
        while index < line.count {
            let byte = line[index]
            if byte == delimiter {
                finish()
            } else if byte == backslash, index + 1 < line.count {
                index += 1
                switch line[index] {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): current.append(0x09)
                case UInt8(ascii: "n"): current.append(0x0A)
                case UInt8(ascii: "r"): current.append(0x0D)
                default: current.append(line[index])
                }
            } else {
                current.append(byte)
            }
            index += 1
        }
        finish()
        return fields
    }
}
