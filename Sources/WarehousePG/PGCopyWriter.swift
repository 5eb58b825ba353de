import CLibPQ
import Foundation
import MMCore

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

/// Writes rows into a running `COPY … FROM STDIN`, sending them in chunks.
///
/// Fields are appended in column order with `field(_:)`/`null()`; `endRow()` ends the row and
/// sends the buffer once it reaches the chunk size (64–256 KiB chunks measured fastest). Only
/// valid inside the producer passed to `PGConnection.copyIn`; not for use from other threads.
///
/// A writer made by `inMemory()` only encodes: its rows stay in memory until `drain(into:)` appends
/// them to a writer of a running COPY. So several threads can encode rows of one COPY at once, each
/// into a writer of its own, and take turns to drain.
public final class PGCopyWriter {
    public let format: PGCopyFormat
    /// nil for a writer that only encodes (`inMemory()`).
    private let conn: OpaquePointer?
    private let chunkSize: Int
    /// The pending bytes: `storage[0..<used]`; grows (never shrinks) when a field needs room.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private var atRowStart = true
    /// Binary: where the current row's field count goes, and the fields written so far.
    private var rowCountAt = 0
    private var rowFields: Int16 = 0
    private var finished = false
    /// Rows ended so far.
    public private(set) var rowsWritten = 0
    /// Bytes handed to libpq so far (sent or buffered by it).
    public private(set) var bytesSent = 0
    private let context: String

    /// A writer that encodes rows in memory, for `drain(into:)` into a writer of the same format.
    public static func inMemory(format: PGCopyFormat = .text) -> PGCopyWriter {
        PGCopyWriter(conn: nil, format: format, chunkSize: .max, context: "rows encoded in memory")
    }

    /// The binary format's file header: signature, flags, header extension length.
    static let binaryHeader: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]

    init(conn: OpaquePointer?, format: PGCopyFormat = .text, chunkSize: Int, context: String) {
        self.conn = conn
        self.format = format
        self.chunkSize = max(1024, chunkSize)
        self.context = context
        capacity = conn == nil ? 256 * 1024 : self.chunkSize + 64 * 1024
        storage = .allocate(capacity: capacity)
        if conn != nil && format == .binary {
            Self.binaryHeader.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: $0.count) }
            used = Self.binaryHeader.count
        }
    }

    deinit { storage.deallocate() }

    /// Makes room for `count` more bytes (plus a delimiter) without sending: fields never throw.
    @inline(__always)
    private func reserve(_ count: Int) {
        if used + count + 1 > capacity { grow(to: used + count + 1) }
    }

    private func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: storage, count: used)
        storage.deallocate()
        storage = bigger
        capacity = newCapacity
    }

    /// Text: the delimiter before every field but a row's first. Binary: room for the row's field
    /// count before its first field (filled in by `endRow()`), then counts the field. Callers have
    /// reserved two bytes beyond their field.
    @inline(__always)
    private func separate() {
        if format == .binary {
            if atRowStart {
                atRowStart = false
                rowCountAt = used
                rowFields = 0
                used += 2
            }
            rowFields += 1
        } else if atRowStart {
            atRowStart = false
        } else {
            storage[used] = PGCopyText.delimiter
            used += 1
        }
    }

    @inline(__always)
    private func putInt32(_ value: Int32, at offset: Int) {
        let v = UInt32(bitPattern: value)
        storage[offset] = UInt8(v >> 24); storage[offset + 1] = UInt8((v >> 16) & 0xFF)
        storage[offset + 2] = UInt8((v >> 8) & 0xFF); storage[offset + 3] = UInt8(v & 0xFF)
    }

    @inline(__always)
    private func putInt64(_ value: Int64) {
        let v = UInt64(bitPattern: value)
        for k in 0..<8 { storage[used + k] = UInt8((v >> (56 - 8 * UInt64(k))) & 0xFF) }
        used += 8
    }

    @inline(__always)
    private func writeNull() {
        reserve(6)
        separate()
        if format == .binary {
            putInt32(-1, at: used)
            used += 4
            return
        }
        storage[used] = 0x5C
        storage[used + 1] = UInt8(ascii: "N")
        used += 2
    }

    @inline(__always)
    private func writeText(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count * 3 + 6)
        separate()
        if format == .binary {
            let lengthAt = used
            used += 4
            let written = PGCopyText.writeReplacingNUL(bytes, to: storage + used)
            used += written
            putInt32(Int32(written), at: lengthAt)
            return
        }
        used += PGCopyText.writeEscaped(bytes, to: storage + used)
    }

    @inline(__always)
    private func writeInteger(_ value: Int64) {
        reserve(20)
        separate()
        if format == .binary {
            putInt32(8, at: used)
            used += 4
            putInt64(value)
            return
        }
        used += PGCopyText.writeInteger(value, to: storage + used)
    }

    /// Appends bytes verbatim (text: already escaped; binary: one field's value, its length is
    /// written before it).
    @inline(__always)
    private func writeVerbatim(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count + 6)
        separate()
        if format == .binary {
            putInt32(Int32(bytes.count), at: used)
            used += 4
        }
        if let base = bytes.baseAddress { (storage + used).update(from: base, count: bytes.count) }
        used += bytes.count
    }

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

    /// Appends an integer field (nil → NULL).
    public func field(_ value: Int?) {
        guard let value else { return writeNull() }
        writeInteger(Int64(value))
    }

    /// Appends an integer field (nil → NULL).
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
        reserve(7)
        separate()
        if format == .binary {
            putInt32(1, at: used)
            storage[used + 4] = value ? 1 : 0
            used += 5
            return
        }
        storage[used] = value ? UInt8(ascii: "t") : UInt8(ascii: "f")
        used += 1
    }

    /// Appends a `timestamptz` field: microseconds since 1970-01-01 UTC (nil → NULL). Text:
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`; binary: microseconds since 2000-01-01.
    public func timestamp(micros: Int64?) {
        guard let micros else { return writeNull() }
        if format == .binary { return writeInteger(micros - Self.postgresEpochMicros) }  // an int8 on the wire
        var text = SendLogTime.postgresText(micros: micros)
        text.withUTF8 { writeVerbatim($0) }
    }

    /// 2000-01-01 00:00:00 UTC in microseconds since 1970-01-01: the origin of PostgreSQL's timestamps.
    static let postgresEpochMicros: Int64 = 946_684_800_000_000

    /// Appends an `integer[]` field of one dimension (nil → NULL; an element nil → NULL).
    public func int4Array(_ values: [Int32?]?) {
        guard let values else { return writeNull() }
        if format == .binary {
            // ndim, has-null flag, element type (int4), then length and lower bound of the dimension.
            let bytes = 20 + values.reduce(0) { $0 + ($1 == nil ? 4 : 8) }
            reserve(bytes + 6)
            separate()
            putInt32(Int32(bytes), at: used)
            putInt32(1, at: used + 4)
            putInt32(values.contains(nil) ? 1 : 0, at: used + 8)
            putInt32(23, at: used + 12)
            putInt32(Int32(values.count), at: used + 16)
            putInt32(1, at: used + 20)
            used += 24
            for v in values {
                if let v {
                    putInt32(4, at: used); putInt32(v, at: used + 4); used += 8
                } else {
                    putInt32(-1, at: used); used += 4
                }
            }
            return
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
            reserve(bytes.count * 3 + 7)
            separate()
            let lengthAt = used
            storage[used + 4] = 1
            used += 5
            let written = PGCopyText.writeReplacingNUL(bytes, to: storage + used)
            used += written
            putInt32(Int32(written + 1), at: lengthAt)
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

    /// Ends the current row; sends a chunk when the buffer is full.
    /// - Throws: `PGError` when libpq cannot send (connection lost) or the COPY is over.
    public func endRow() throws {
        if format == .binary {
            precondition(!atRowStart, "a binary COPY row needs at least one field")
            storage[rowCountAt] = UInt8(UInt16(bitPattern: rowFields) >> 8)
            storage[rowCountAt + 1] = UInt8(UInt16(bitPattern: rowFields) & 0xFF)
        } else {
            reserve(0)
            storage[used] = PGCopyText.rowEnd
            used += 1
        }
        atRowStart = true
        rowsWritten += 1
        if used >= chunkSize { try flush() }
    }

    /// Appends complete, already-encoded rows in this writer's format (text: each ending in a newline).
    public func encodedRows(_ bytes: [UInt8], rowCount: Int) throws {
        try bytes.withUnsafeBufferPointer { try encodedRows($0, rowCount: rowCount) }
    }

    /// Appends complete, already-encoded rows in this writer's format (text: each ending in a newline).
    public func encodedRows(_ rows: UnsafeBufferPointer<UInt8>, rowCount: Int) throws {
        precondition(atRowStart, "encodedRows inside an unfinished row")
        reserve(rows.count)
        if let base = rows.baseAddress { (storage + used).update(from: base, count: rows.count) }
        used += rows.count
        rowsWritten += rowCount
        if used >= chunkSize { try flush() }
    }

    /// Appends this in-memory writer's complete rows to `target` (a writer of a running COPY) and
    /// empties this one.
    public func drain(into target: PGCopyWriter) throws {
        precondition(conn == nil && atRowStart, "drain needs an in-memory writer at a row boundary")
        precondition(format == target.format, "drain into a COPY of another format")
        try target.encodedRows(UnsafeBufferPointer(start: storage, count: used), rowCount: rowsWritten)
        used = 0
        rowsWritten = 0
    }

    /// Sends what is buffered.
    func flush() throws {
        guard !finished else {
            throw PGError(kind: .usage, message: "the COPY is over; the writer cannot be used after copyIn returns",
                          context: context)
        }
        guard used > 0 else { return }
        guard let conn else { return }  // in memory: rows wait for drain(into:)
        let status = UnsafeMutableRawPointer(storage).withMemoryRebound(to: CChar.self, capacity: used) { chars in
            PQputCopyData(conn, chars, Int32(used))
        }
        guard status == 1 else {
            throw PGError(kind: .connection, message: String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines,
                          context: context)
        }
        bytesSent += used
        used = 0
    }

    /// Sends the rest; called by `copyIn` after the producer returns.
    func finish() throws {
        if !atRowStart {
            throw PGError(kind: .usage, message: "the producer left a row unfinished (call endRow())", context: context)
        }
        if format == .binary {  // the trailer: a field count of -1
            reserve(2)
            storage[used] = 0xFF; storage[used + 1] = 0xFF
            used += 2
        }
        try flush()
        finished = true
    }

    /// Marks the writer unusable (after an abort).
    func abandon() {
        finished = true
        used = 0
    }
}
