import CLibPQ
import Foundation

/// Writes rows into a running `COPY … FROM STDIN` (text format), sending them in chunks.
///
/// Fields are appended in column order with `field(_:)`/`null()`; `endRow()` ends the row and
/// sends the buffer once it reaches the chunk size (64–256 KiB chunks measured fastest). Only
/// valid inside the producer passed to `PGConnection.copyIn`; not for use from other threads.
///
/// A writer made by `inMemory()` only encodes: its rows stay in memory until `drain(into:)` appends
/// them to a writer of a running COPY. So several threads can encode rows of one COPY at once, each
/// into a writer of its own, and take turns to drain.
public final class PGCopyWriter {
    /// nil for a writer that only encodes (`inMemory()`).
    private let conn: OpaquePointer?
    private let chunkSize: Int
    /// The pending bytes: `storage[0..<used]`; grows (never shrinks) when a field needs room.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private var atRowStart = true
    private var finished = false
    /// Rows ended so far.
    public private(set) var rowsWritten = 0
    /// Bytes handed to libpq so far (sent or buffered by it).
    public private(set) var bytesSent = 0
    private let context: String

    /// A writer that encodes rows in memory, for `drain(into:)`.
    public static func inMemory() -> PGCopyWriter {
        PGCopyWriter(conn: nil, chunkSize: .max, context: "rows encoded in memory")
    }

    init(conn: OpaquePointer?, chunkSize: Int, context: String) {
        self.conn = conn
        self.chunkSize = max(1024, chunkSize)
        self.context = context
        capacity = conn == nil ? 256 * 1024 : self.chunkSize + 64 * 1024
        storage = .allocate(capacity: capacity)
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

    @inline(__always)
    private func separate() {
        if atRowStart {
            atRowStart = false
        } else {
            storage[used] = PGCopyText.delimiter
            used += 1
        }
    }

    @inline(__always)
    private func writeNull() {
        reserve(2)
        separate()
        storage[used] = 0x5C
        storage[used + 1] = UInt8(ascii: "N")
        used += 2
    }

    @inline(__always)
    private func writeText(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count * 3)
        separate()
        used += PGCopyText.writeEscaped(bytes, to: storage + used)
    }

    @inline(__always)
    private func writeInteger(_ value: Int64) {
        reserve(20)
        separate()
        used += PGCopyText.writeInteger(value, to: storage + used)
    }

    /// Appends bytes verbatim (already escaped).
    @inline(__always)
    private func writeVerbatim(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        separate()
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
    public func field(_ value: Double?) {
        guard let value else { return writeNull() }
        var text = value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : value.description
        text.withUTF8 { writeVerbatim($0) }
    }

    /// Appends a boolean field (nil → NULL).
    public func field(_ value: Bool?) {
        guard let value else { return writeNull() }
        reserve(1)
        separate()
        storage[used] = value ? UInt8(ascii: "t") : UInt8(ascii: "f")
        used += 1
    }

    /// Appends a numeric field in its plain decimal form (nil → NULL).
    public func field(_ value: Decimal?) {
        guard let value else { return writeNull() }
        var text = value.description
        text.withUTF8 { writeVerbatim($0) }
    }

    /// Appends a NULL field.
    public func null() {
        writeNull()
    }

    /// Appends bytes that are already one escaped field (e.g. a cached encoding).
    public func encodedField(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeVerbatim($0) }
    }

    /// Ends the current row; sends a chunk when the buffer is full.
    /// - Throws: `PGError` when libpq cannot send (connection lost) or the COPY is over.
    public func endRow() throws {
        reserve(0)
        storage[used] = PGCopyText.rowEnd
        used += 1
        atRowStart = true
        rowsWritten += 1
        if used >= chunkSize { try flush() }
    }

    /// Appends complete, already-encoded rows (each ending in a newline).
    public func encodedRows(_ bytes: [UInt8], rowCount: Int) throws {
        try bytes.withUnsafeBufferPointer { try encodedRows($0, rowCount: rowCount) }
    }

    /// Appends complete, already-encoded rows (each ending in a newline).
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
        try flush()
        finished = true
    }

    /// Marks the writer unusable (after an abort).
    func abandon() {
        finished = true
        used = 0
    }
}
