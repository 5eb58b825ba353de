import Foundation
import WarehousePG

/// The short report `mmetl demo` prints: what an analyst would look at first. Its queries are
/// `sql/summary/*.sql` (`SummaryQuery`), tested against a seeded warehouse like the examples.
enum AnalystSummary {
    static func render(connection: PGConnection, queries: [SummaryQuery]) throws -> String {
        var out: [String] = []
        for query in queries {
            out.append("")
            out.append("── \(query.title)")
            do {
                out.append(try table(connection.query(query.sql)))
            } catch {
                out.append("   (not available: \(error))")
            }
        }
        return out.joined(separator: "\n")
    }

    /// Renders rows as an aligned text table.
    static func table(_ rows: PGRows) throws -> String {
        if rows.count == 0 { return "   (no rows)" }
        var cells: [[String]] = [rows.columns]
        for i in 0..<rows.count {
            cells.append(try (0..<rows.columns.count).map { try rows.string(i, $0) ?? "—" })
        }
        let widths = (0..<rows.columns.count).map { c in cells.map { $0[c].count }.max() ?? 0 }
        return cells.enumerated().map { n, row in
            "   " + row.enumerated().map { c, v in v.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + (n == 0 ? "\n   " + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") : "")
        }.joined(separator: "\n")
    }
}
