import CLibPQ
import Foundation

/// Writes rows into a running `COPY … FROM STDIN` (text format), sending them in chunks.
///
/// Fields are appended in column order with `field(_:)`/`null()`; `endRow()` ends the row and
/// sends the buffer once it reaches the chunk size (64–256 KiB chunks measured fastest). Only
/// valid inside the producer passed to `PGConnection.copyIn`; not for use from other threads.
public final class PGCopyWriter {
    private let conn: OpaquePointer
    private let chunkSize: Int
    private var buffer: [UInt8]
    private var atRowStart = true
    private var finished = false
    /// Rows ended so far.
    public private(set) var rowsWritten = 0
    /// Bytes handed to libpq so far (sent or buffered by it).
    public private(set) var bytesSent = 0
    private let context: String

    init(conn: OpaquePointer, chunkSize: Int, context: String) {
        self.conn = conn
        self.chunkSize = max(1024, chunkSize)
        self.context = context
        buffer = []
        buffer.reserveCapacity(self.chunkSize + 16 * 1024)
    }

    @inline(__always)
    private func separate() {
        if atRowStart {
            atRowStart = false
        } else {
            buffer.append(PGCopyText.delimiter)
        }
    }

    /// Appends a text field (nil → NULL).
    public func field(_ text: String?) {
        separate()
        if let text { PGCopyText.appendField(text, to: &buffer) } else { PGCopyText.appendNull(to: &buffer) }
    }

    /// Appends a text field (nil → NULL).
    public func field(_ text: Substring?) {
        separate()
        if let text { PGCopyText.appendField(text, to: &buffer) } else { PGCopyText.appendNull(to: &buffer) }
    }

    /// Appends an integer field (nil → NULL).
    public func field(_ value: Int?) {
        separate()
        if let value { PGCopyText.appendInteger(Int64(value), to: &buffer) } else { PGCopyText.appendNull(to: &buffer) }
    }

    /// Appends an integer field (nil → NULL).
    public func field(_ value: Int64?) {
        separate()
        if let value { PGCopyText.appendInteger(value, to: &buffer) } else { PGCopyText.appendNull(to: &buffer) }
    }

    /// Appends a float field (nil → NULL).
    public func field(_ value: Double?) {
        separate()
        if let value { PGCopyText.appendDouble(value, to: &buffer) } else { PGCopyText.appendNull(to: &buffer) }
    }

    /// Appends a boolean field (nil → NULL).
    public func field(_ value: Bool?) {
        separate()
        if let value { PGCopyText.appendBool(value, to: &buffer) } else { PGCopyText.appendNull(to: &buffer) }
    }

    /// Appends a numeric field in its plain decimal form (nil → NULL).
    public func field(_ value: Decimal?) {
        separate()
        if let value { buffer.append(contentsOf: value.description.utf8) } else { PGCopyText.appendNull(to: &buffer) }
    }

    /// Appends a NULL field.
    public func null() {
        separate()
        PGCopyText.appendNull(to: &buffer)
    }

    /// Appends bytes that are already one escaped field (e.g. a cached encoding).
    public func encodedField(_ bytes: some Sequence<UInt8>) {
        separate()
        buffer.append(contentsOf: bytes)
    }

    /// Ends the current row; sends a chunk when the buffer is full.
    /// - Throws: `PGError` when libpq cannot send (connection lost) or the COPY is over.
    public func endRow() throws {
        buffer.append(PGCopyText.rowEnd)
        atRowStart = true
        rowsWritten += 1
        if buffer.count >= chunkSize { try flush() }
    }

    /// Appends complete, already-encoded rows (each ending in a newline).
    public func encodedRows(_ bytes: some Sequence<UInt8>, rowCount: Int) throws {
        precondition(atRowStart, "encodedRows inside an unfinished row")
        buffer.append(contentsOf: bytes)
        rowsWritten += rowCount
        if buffer.count >= chunkSize { try flush() }
    }

    /// Sends what is buffered.
    func flush() throws {
        guard !finished else {
            throw PGError(kind: .usage, message: "the COPY is over; the writer cannot be used after copyIn returns",
                          context: context)
        }
        guard !buffer.isEmpty else { return }
        let status = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(conn, chars.baseAddress, Int32(chars.count))
            }
        }
        guard status == 1 else {
            throw PGError(kind: .connection, message: String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines,
                          context: context)
        }
        bytesSent += buffer.count
        buffer.removeAll(keepingCapacity: true)
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
        buffer = []
    }
}

extension PGConnection {
    /// Streams rows into `COPY … FROM STDIN` (text format): `producer` writes them through a
    /// `PGCopyWriter`; returns the row count the server reports.
    ///
    /// When `producer` throws, the COPY is ended with an error message (`PQputCopyEnd`) so the
    /// server aborts it and keeps no row; the producer's error is rethrown and the connection
    /// stays usable (inside a transaction, that transaction is now failed: roll it back).
    ///
    /// - Parameters:
    ///   - sql: a `COPY table (columns) FROM STDIN` statement.
    ///   - chunkSize: bytes per `PQputCopyData` call.
    /// - Throws: the producer's error; `PGError` (`.copy`, with SQLSTATE) when the server rejects a
    ///   row; `.usage` when `sql` is not a COPY FROM STDIN.
    @discardableResult
    public func copyIn(sql: String, chunkSize: Int = 128 * 1024, producer: (PGCopyWriter) throws -> Void) throws -> Int {
        try withHandle(context: "COPY") { conn in
            let context = summarize(sql)
            guard let start = PQexec(conn, sql) else { throw connectionError(conn, context: context) }
            let status = PQresultStatus(start)
            guard status == PGRES_COPY_IN else {
                defer { PQclear(start) }
                if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
                    throw PGError(kind: .usage, message: "not a COPY … FROM STDIN statement", context: context)
                }
                throw resultError(start, conn: conn, context: context, kind: .copy)
            }
            PQclear(start)

            let writer = PGCopyWriter(conn: conn, chunkSize: chunkSize, context: "\(context) on \(target)")
            do {
                try producer(writer)
                try writer.finish()
            } catch {
                writer.abandon()
                let reason = "aborted by mmetl: " + String(PGConninfo.scrub(String(describing: error)).prefix(200))
                _ = PQputCopyEnd(conn, reason)
                drainResults(conn)
                throw error
            }
            guard PQputCopyEnd(conn, nil) == 1 else {
                let error = connectionError(conn, context: context)
                drainResults(conn)
                throw error
            }
            var copied = 0
            var failure: PGError?
            while let result = PQgetResult(conn) {
                if PQresultStatus(result) == PGRES_COMMAND_OK {
                    copied = Int(String(cString: PQcmdTuples(result))) ?? writer.rowsWritten
                } else if failure == nil {
                    failure = resultError(result, conn: conn, context: context, kind: .copy)
                }
                PQclear(result)
            }
            if let failure { throw failure }
            return copied
        }
    }

    /// Reads and discards results until libpq has none (leaves the connection idle).
    func drainResults(_ conn: OpaquePointer) {
        while let result = PQgetResult(conn) {
            let status = PQresultStatus(result)
            PQclear(result)
            // A COPY state with no way forward would loop forever; stop on a broken connection.
            if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) && PQstatus(conn) != CONNECTION_OK { break }
            if status == PGRES_COPY_IN { _ = PQputCopyEnd(conn, "aborted by mmetl") }
        }
    }
}
