import Foundation

/// One chart of the report as HTML: title, note, one SVG per panel with its legend, the table beneath.
enum ChartSection {
    /// `table` nil means the query was not run (the page says so); an empty table or one without a
    /// single plottable value shows `spec.emptyMessage` instead of an empty axis.
    static func render(_ spec: ChartSpec, _ table: ResultTable?, anchor: String) -> String {
        var html = "<section class=\"chart-section\" id=\"\(HTMLEscape.attribute(anchor))\"><h2>\(HTMLEscape.text(spec.title))</h2>"
        html += "<p class=\"note\">\(HTMLEscape.text(spec.note))</p>"
        guard let table else {
            return html + "<p class=\"empty\">Not available: the query did not run.</p></section>"
        }
        let data = ChartData(table, spec)
        let drawn = data.panels.filter(\.hasMarks)
        if drawn.isEmpty {
            html += "<p class=\"empty\">\(HTMLEscape.text(spec.emptyMessage))</p>"
        }
        for panel in drawn {
            let y = spec.yLabel.replacingOccurrences(of: "{panel}", with: panel.key ?? "")
            html += "<figure>"
            if let key = panel.key, let column = spec.panel {
                html += "<figcaption>\(HTMLEscape.text(column)): \(HTMLEscape.text(key))</figcaption>"
            }
            let title = [spec.title, panel.key].compactMap { $0 }.joined(separator: " — ")
            switch spec.kind {
            case .line: html += LineChartSVG.render(panel, title: title, xLabel: spec.xLabel, yLabel: y)
            case .bars: html += BarChartSVG.render(panel, title: title, xLabel: spec.xLabel, yLabel: y)
            }
            html += legend(panel)
            html += "</figure>"
        }
        if !table.rows.isEmpty {
            html += "<details><summary>Exact numbers (\(table.rows.count) rows)</summary>"
            html += DataTableHTML.render(table, caption: spec.title) + "</details>"
        }
        return html + "</section>"
    }

    static func legend(_ panel: ChartData.Panel) -> String {
        "<ul class=\"legend\">" + panel.series.enumerated().map { i, s in
            "<li><span class=\"swatch\" style=\"background:\(Palette.color(i))\"></span>\(HTMLEscape.text(s.name))</li>"
        }.joined() + "</ul>"
    }
}
