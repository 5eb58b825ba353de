/// The table beneath each chart: every row and column of the query, exact text, NULL as "—".
enum DataTableHTML {
    /// An HTML `<table>` with a caption and column headers (`scope="col"`) for screen readers.
    static func render(_ table: ResultTable, caption: String) -> String {
        var html = "<table><caption>\(HTMLEscape.text(caption))</caption><thead><tr>"
        html += table.columns.map { "<th scope=\"col\">\(HTMLEscape.text($0))</th>" }.joined()
        html += "</tr></thead><tbody>"
        for row in table.rows {
            html += "<tr>" + row.map { v in
                guard let v else { return "<td class=\"null\">—</td>" }
                return Double(v) != nil ? "<td class=\"num\">\(HTMLEscape.text(v))</td>" : "<td>\(HTMLEscape.text(v))</td>"
            }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }
}
