import CLibPQ
import Foundation

extension PGConnection {
    /// Streams rows into `COPY … FROM STDIN`: `producer` writes them through a `PGCopyWriter` of
    /// `format` (which `sql` must name: `WITH (FORMAT binary)` for `.binary`); returns the row count
    /// the server reports.
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
    public func copyIn(sql: String, format: PGCopyFormat = .text, chunkSize: Int = 128 * 1024,
                       producer: (PGCopyWriter) throws -> Void) throws -> Int {
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

            let writer = PGCopyWriter(conn: conn, format: format, chunkSize: chunkSize, context: "\(context) on \(target)")
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
