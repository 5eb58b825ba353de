/// The rows one report query returned, as text: what the renderer draws from.
///
/// Values are PostgreSQL's text output (NULL is `nil`), so a number in a table beneath a chart reads
/// exactly as `psql` and the demo's text summary print it.
public struct ResultTable: Sendable, Equatable {
    /// Column names in query order.
    public var columns: [String]
    /// One array per row, as long as `columns`.
    public var rows: [[String?]]

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The index of `name`, or nil when the query has no such column.
    public func index(of name: String) -> Int? { columns.firstIndex(of: name) }

    /// The value at `row` in column `name`; nil when NULL or absent.
    public func value(_ row: Int, _ name: String) -> String? {
        guard let c = index(of: name), row < rows.count, c < rows[row].count else { return nil }
        return rows[row][c]
    }

    /// The numeric value at `row` in column `name`; nil when NULL, absent or not a number.
    public func number(_ row: Int, _ name: String) -> Double? {
        value(row, name).flatMap(Double.init)
    }
}
