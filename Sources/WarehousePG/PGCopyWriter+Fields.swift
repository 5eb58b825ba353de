import Foundation
import MMCore

/// The fields of a row, appended in column order; each writes its column's text form or, in a
/// binary COPY, its binary form (`PGCopyFormat`).
extension PGCopyWriter {
    /// Appends a text field (nil → NULL).
    public func field(_ text: String?) {
        guard var text else { return writeNull() }
        text.withUTF8 { writeText($0) }
    }

    /// Appends a text field (nil → NULL).
    public func field(_ text: Substring?) {
        guard var text else { return writeNull() }
        text.withUTF8 { writeText($0) }
    }

    /// Appends an integer field (nil → NULL). Binary: a `bigint`.
    public func field(_ value: Int?) {
        guard let value else { return writeNull() }
        writeInteger(Int64(value))
    }

    /// Appends an integer field (nil → NULL). Binary: a `bigint`.
    public func field(_ value: Int64?) {
        guard let value else { return writeNull() }
        writeInteger(value)
    }

    /// Appends a float field (nil → NULL); `Infinity`, `-Infinity`, `NaN` as PostgreSQL reads them.
    /// Binary: a `float8`.
    public func field(_ value: Double?) {
        guard let value else { return writeNull() }
        if format == .binary { return writeInteger(Int64(bitPattern: value.bitPattern)) }  // the same 8 bytes
        var text = value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : value.description
        text.withUTF8 { writeVerbatim($0) }
    }

    /// Appends a boolean field (nil → NULL).
    public func field(_ value: Bool?) {
        guard let value else { return writeNull() }
        if format == .binary { return writeBinary(maxBytes: 1) { $0[0] = value ? 1 : 0; return 1 } }
        var text = value ? "t" : "f"
        text.withUTF8 { writeVerbatim($0) }
    }

    /// Appends a `timestamptz` field: microseconds since 1970-01-01 UTC (nil → NULL). Text:
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`; binary: microseconds since 2000-01-01.
    public func timestamp(micros: Int64?) {
        guard let micros else { return writeNull() }
        if format == .binary { return writeInteger(micros - PGCopyBinary.postgresEpochMicros) }  // an int8 on the wire
        var text = SendLogTime.postgresText(micros: micros)
        text.withUTF8 { writeVerbatim($0) }
    }

    /// Appends an `integer[]` field of one dimension (nil → NULL; an element nil → NULL).
    public func int4Array(_ values: [Int32?]?) {
        guard let values else { return writeNull() }
        if format == .binary {
            return writeBinary(maxBytes: PGCopyBinary.int4ArrayBytes(values)) { PGCopyBinary.writeInt4Array(values, to: $0) }
        }
        var text = "{" + values.map { $0.map(String.init) ?? "NULL" }.joined(separator: ",") + "}"
        text.withUTF8 { writeVerbatim($0) }
    }

    /// Appends a `jsonb` field from its JSON text (nil → NULL); the server parses the JSON in
    /// both formats (binary: a version byte, then the text).
    public func jsonb(_ json: String?) {
        guard var json else { return writeNull() }
        guard format == .binary else { return field(json) }
        json.withUTF8 { bytes in
            writeBinary(maxBytes: 1 + 3 * bytes.count) { p in
                p[0] = 1
                return 1 + PGCopyText.writeReplacingNUL(bytes, to: p + 1)
            }
        }
    }

    /// Appends a numeric field in its plain decimal form (nil → NULL). Text format only.
    public func field(_ value: Decimal?) {
        precondition(format == .text, "numeric has no binary encoding in PGCopyWriter")
        guard let value else { return writeNull() }
        var text = value.description
        text.withUTF8 { writeVerbatim($0) }
    }

    /// Appends a NULL field.
    public func null() {
        writeNull()
    }

    /// Appends bytes that are already one escaped field (e.g. a cached encoding). Text format only.
    public func encodedField(_ bytes: [UInt8]) {
        precondition(format == .text, "an escaped text field in a binary COPY")
        bytes.withUnsafeBufferPointer { writeVerbatim($0) }
    }
}
