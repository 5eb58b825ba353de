/// The format of a `COPY … FROM STDIN`; the statement must name the same one.
public enum PGCopyFormat: Sendable {
    /// Tab-separated text, escaped (`PGCopyText`): the server parses every field from text.
    case text
    /// PostgreSQL's binary COPY (`WITH (FORMAT binary)`): each field is its length and the type's
    /// binary form, so the server parses no timestamp, integer or array. Every field must be written
    /// with the method of its column's type (an `Int` into `bigint`, `timestamp(micros:)` into
    /// `timestamptz`, `int4Array` into `integer[]`, `jsonb` into `jsonb`); text goes in as UTF-8,
    /// which the server validates as it does in text COPY. `Decimal` has no binary form here.
    case binary
}

/// PostgreSQL's binary COPY format, written straight into a byte buffer: big-endian integers, the
/// stream's header, and the send forms `PGCopyWriter` needs beyond plain integers.
enum PGCopyBinary {
    /// The stream's header: signature, flags, header extension length.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The stream's trailer: a field count of -1.
    static let trailer: [UInt8] = [0xFF, 0xFF]

    /// 2000-01-01 00:00:00 UTC in microseconds since 1970-01-01: the origin of PostgreSQL's timestamps.
    static let postgresEpochMicros: Int64 = 946_684_800_000_000

    /// The OID of `int4`, the element type of `integer[]`.
    static let int4OID: Int32 = 23

    @inline(__always)
    static func putInt32(_ value: Int32, to p: UnsafeMutablePointer<UInt8>) {
        let v = UInt32(bitPattern: value)
        p[0] = UInt8(v >> 24); p[1] = UInt8((v >> 16) & 0xFF); p[2] = UInt8((v >> 8) & 0xFF); p[3] = UInt8(v & 0xFF)
    }

    @inline(__always)
    static func putInt64(_ value: Int64, to p: UnsafeMutablePointer<UInt8>) {
        let v = UInt64(bitPattern: value)
        for k in 0..<8 { p[k] = UInt8((v >> (56 - 8 * UInt64(k))) & 0xFF) }
    }

    /// Bytes of the send form of a one-dimensional `integer[]`.
    static func int4ArrayBytes(_ values: [Int32?]) -> Int { 20 + values.reduce(0) { $0 + ($1 == nil ? 4 : 8) } }

    /// Writes the send form of a one-dimensional `integer[]` (dimensions, has-null flag, element
    /// type, length and lower bound of the dimension, then each element's length and value, or -1
    /// for NULL); returns the bytes written (`int4ArrayBytes`).
    static func writeInt4Array(_ values: [Int32?], to p: UnsafeMutablePointer<UInt8>) -> Int {
        putInt32(1, to: p)
        putInt32(values.contains(nil) ? 1 : 0, to: p + 4)
        putInt32(int4OID, to: p + 8)
        putInt32(Int32(values.count), to: p + 12)
        putInt32(1, to: p + 16)
        var at = 20
        for v in values {
            if let v {
                putInt32(4, to: p + at); putInt32(v, to: p + at + 4); at += 8
            } else {
                putInt32(-1, to: p + at); at += 4
            }
        }
        return at
    }
}
