import CLibPQ
import Foundation

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

    init(conn: OpaquePointer?, format: PGCopyFormat = .text, chunkSize: Int, context: String) {
        self.conn = conn
        self.format = format
        self.chunkSize = max(1024, chunkSize)
        self.context = context
        capacity = conn == nil ? 256 * 1024 : self.chunkSize + 64 * 1024
        storage = .allocate(capacity: capacity)
        if conn != nil && format == .binary {
            PGCopyBinary.header.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: $0.count) }
            used = PGCopyBinary.header.count
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

    // The primitives below each write one whole field (`PGCopyWriter+Fields` builds on them).

    @inline(__always)
    func writeNull() {
        reserve(6)
        separate()
        if format == .binary {
            PGCopyBinary.putInt32(-1, to: storage + used)
            used += 4
            return
        }
        storage[used] = 0x5C
        storage[used + 1] = UInt8(ascii: "N")
        used += 2
    }

    /// Text: escaped. Binary: as is, each NUL replaced by U+FFFD (as the text format does).
    @inline(__always)
    func writeText(_ bytes: UnsafeBufferPointer<UInt8>) {
        if format == .binary {
            return writeBinary(maxBytes: bytes.count * 3) { PGCopyText.writeReplacingNUL(bytes, to: $0) }
        }
        reserve(bytes.count * 3)
        separate()
        used += PGCopyText.writeEscaped(bytes, to: storage + used)
    }

    /// Binary format only: one field of at most `maxBytes` bytes, which `body` writes at the pointer
    /// it gets, returning how many it wrote; the field's length goes before them.
    @inline(__always)
    func writeBinary(maxBytes: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maxBytes + 6)
        separate()
        let written = body(storage + used + 4)
        PGCopyBinary.putInt32(Int32(written), to: storage + used)
        used += 4 + written
    }

    /// Binary: a `bigint` (8 bytes).
    @inline(__always)
    func writeInteger(_ value: Int64) {
        if format == .binary { return writeBinary(maxBytes: 8) { PGCopyBinary.putInt64(value, to: $0); return 8 } }
        reserve(20)
        separate()
        used += PGCopyText.writeInteger(value, to: storage + used)
    }

    /// Appends bytes verbatim (text: already escaped; binary: one field's value, its length is
    /// written before it).
    @inline(__always)
    func writeVerbatim(_ bytes: UnsafeBufferPointer<UInt8>) {
        if format == .binary {
            return writeBinary(maxBytes: bytes.count) { p in
                if let base = bytes.baseAddress { p.update(from: base, count: bytes.count) }
                return bytes.count
            }
        }
        reserve(bytes.count)
        separate()
        if let base = bytes.baseAddress { (storage + used).update(from: base, count: bytes.count) }
        used += bytes.count
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

    /// Bytes encoded and not yet handed over (to libpq, or by `drain(into:)`).
    package var encodedBytes: Int { used }

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
        if format == .binary {
            reserve(PGCopyBinary.trailer.count)
            PGCopyBinary.trailer.withUnsafeBufferPointer { (storage + used).update(from: $0.baseAddress!, count: $0.count) }
            used += PGCopyBinary.trailer.count
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
