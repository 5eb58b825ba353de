import Foundation
import WarehousePG

/// The short report `mmetl demo` prints: what an analyst would look at first.
enum AnalystSummary {
    static let sections: [(String, String)] = [
        ("MM API vs Cloud API, last 30 days (per currency)", """
            SELECT product, currency, sum(sent) AS sent, sum(delivered) AS delivered,
                   round(100.0 * sum(delivered) / nullif(sum(sent), 0), 1) AS "delivery %",
                   round(100.0 * sum(read) / nullif(sum(delivered), 0), 1) AS "read %",
                   round(100.0 * sum(url_clicks) / nullif(sum(delivered) FILTER (WHERE url_clicks IS NOT NULL), 0), 2) AS "click %",
                   round(sum(amount_spent), 2) AS spend,
                   round(sum(amount_spent) / nullif(sum(delivered), 0), 4) AS "cost/delivery",
                   round(coalesce(sum(purchases), 0)) AS purchases,
                   round(sum(purchase_value) / nullif(sum(amount_spent) FILTER (WHERE purchases IS NOT NULL), 0), 2) AS roas
            FROM mm.v_template_performance
            WHERE day > (SELECT max(day) FROM mm.fact_template_daily) - 30
            GROUP BY product, currency ORDER BY currency, product
            """),
        ("Templates furthest below their read-rate benchmark (latest day)", """
            SELECT b.waba_id, b.template_id, left(coalesce(t.name, ''), 28) AS template, b.cohort,
                   b.cohort_businesses AS businesses, round(100 * b.read_rate, 1) AS "read %",
                   round(100 * b.p75_read_rate::numeric, 1) AS "p75 %", round(100 * b.read_rate_percent_rank::numeric) AS "pct rank"
            FROM mm.fact_benchmarks b
            LEFT JOIN mm.dim_template t ON t.waba_id = b.waba_id AND t.template_id = b.template_id AND t.is_current
            WHERE b.day = (SELECT max(day) FROM mm.fact_benchmarks) AND b.p75_read_rate IS NOT NULL
            ORDER BY b.read_rate - b.p75_read_rate::numeric LIMIT 5
            """),
        ("Top error codes, last 7 days (send log)", """
            SELECT e.error_code, left(coalesce(d.title, '(unknown code)'), 50) AS title, e.route, sum(e.failures) AS failures
            FROM mm.fact_errors e LEFT JOIN mm.dim_error_code d ON d.code = e.error_code
            WHERE e.day > (SELECT max(day) FROM mm.fact_errors) - 7
            GROUP BY 1, 2, 3 ORDER BY failures DESC LIMIT 5
            """),
        ("Route mix, last 7 days (send log)", """
            SELECT route, sum(sent) AS sent, round(100.0 * sum(sent) / nullif(sum(sum(sent)) OVER (), 0), 1) AS "share %",
                   sum(failed) AS failed
            FROM mm.fact_sends_daily WHERE day > (SELECT max(day) FROM mm.fact_sends_daily) - 7
            GROUP BY route ORDER BY route
            """),
    ]

    static func render(connection: PGConnection, windowDays: Int) throws -> String {
        var out: [String] = []
        for (title, sql) in sections {
            out.append("")
            out.append("── \(title)")
            do {
                out.append(try table(connection.query(sql)))
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
