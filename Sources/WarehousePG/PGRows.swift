import CLibPQ

/// The rows of one query result (text format). Owns its `PGresult` (cleared in `deinit`).
///
/// A `PGresult` is read-only once created, so sharing it across threads is safe (libpq docs,
/// "Behavior in Threaded Programs"). Accessors return nil for SQL NULL and throw `.decode` errors
/// for a missing column or a value of the wrong shape.
public final class PGRows: @unchecked Sendable {
    private let result: OpaquePointer
    /// Rows in the result.
    public let count: Int
    /// Column names, in order.
    public let columns: [String]
    /// Rows affected by INSERT/UPDATE/DELETE/MERGE/COPY…, when the command reports a count.
    public let affectedRows: Int?
    /// The command tag, e.g. `INSERT 0 3`.
    public let commandStatus: String
    private let indexByName: [String: Int]

    init(taking result: OpaquePointer) {
        self.result = result
        count = Int(PQntuples(result))
        let fieldCount = Int(PQnfields(result))
        var names: [String] = []
        names.reserveCapacity(fieldCount)
        var byName: [String: Int] = [:]
        for index in 0..<fieldCount {
            let name = String(cString: PQfname(result, Int32(index)))
            names.append(name)
            if byName[name] == nil { byName[name] = index }
        }
        columns = names
        indexByName = byName
        affectedRows = Int(String(cString: PQcmdTuples(result)))
        commandStatus = String(cString: PQcmdStatus(result))
    }

    deinit { PQclear(result) }

    /// The index of column `name`.
    public func column(_ name: String) throws -> Int {
        guard let index = indexByName[name] else {
            throw PGError(kind: .decode, message: "no column \"\(name)\" in result (columns: \(columns.joined(separator: ", ")))",
                          context: "reading a query result")
        }
        return index
    }

    private func check(_ row: Int, _ column: Int) throws {
        guard row >= 0, row < count, column >= 0, column < columns.count else {
            throw PGError(kind: .decode, message: "cell (\(row), \(column)) outside a result of \(count) rows × \(columns.count) columns",
                          context: "reading a query result")
        }
    }

    public func isNull(_ row: Int, _ column: Int) throws -> Bool {
        try check(row, column)
        return PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    public func isNull(_ row: Int, _ column: String) throws -> Bool { try isNull(row, self.column(column)) }

    /// The value as text, nil for NULL.
    public func string(_ row: Int, _ column: Int) throws -> String? {
        try check(row, column)
        if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    public func string(_ row: Int, _ column: String) throws -> String? { try string(row, self.column(column)) }

    public func int64(_ row: Int, _ column: Int) throws -> Int64? {
        guard let text = try string(row, column) else { return nil }
        guard let value = Int64(text) else { throw decodeError(text, "an integer", row, column) }
        return value
    }

    public func int64(_ row: Int, _ column: String) throws -> Int64? { try int64(row, self.column(column)) }

    public func int(_ row: Int, _ column: Int) throws -> Int? { try int64(row, column).map { Int($0) } }

    public func int(_ row: Int, _ column: String) throws -> Int? { try int(row, self.column(column)) }

    public func double(_ row: Int, _ column: Int) throws -> Double? {
        guard let text = try string(row, column) else { return nil }
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default:
            guard let value = Double(text) else { throw decodeError(text, "a number", row, column) }
            return value
        }
    }

    public func double(_ row: Int, _ column: String) throws -> Double? { try double(row, self.column(column)) }

    /// Booleans arrive as `t`/`f`.
    public func bool(_ row: Int, _ column: Int) throws -> Bool? {
        guard let text = try string(row, column) else { return nil }
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: throw decodeError(text, "a boolean", row, column)
        }
    }

    public func bool(_ row: Int, _ column: String) throws -> Bool? { try bool(row, self.column(column)) }

    private func decodeError(_ text: String, _ expected: String, _ row: Int, _ column: Int) -> PGError {
        PGError(kind: .decode, message: "column \"\(columns[column])\" row \(row) is not \(expected) (\(text.prefix(40)))",
                context: "reading a query result")
    }
}

extension PGRows: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> PGRow { PGRow(rows: self, index: position) }
}

/// One row of a `PGRows`, for `for row in rows { try row.string("name") }`.
public struct PGRow: Sendable {
    public let rows: PGRows
    public let index: Int

    public func isNull(_ column: String) throws -> Bool { try rows.isNull(index, column) }
    public func string(_ column: String) throws -> String? { try rows.string(index, column) }
    public func int64(_ column: String) throws -> Int64? { try rows.int64(index, column) }
    public func int(_ column: String) throws -> Int? { try rows.int(index, column) }
    public func double(_ column: String) throws -> Double? { try rows.double(index, column) }
    public func bool(_ column: String) throws -> Bool? { try rows.bool(index, column) }
    public func string(_ column: Int) throws -> String? { try rows.string(index, column) }
    public func int64(_ column: Int) throws -> Int64? { try rows.int64(index, column) }
}
