/// The whole report as one self-contained HTML document: inline CSS and SVG, no script, no font,
/// no image and no link to anything outside the file, so it opens offline and can be mailed.
public enum ReportPage {
    /// What the page shows besides the charts.
    public struct Header: Sendable {
        public var pipeline: String
        public var from: String
        public var to: String
        /// WABA ids the report is limited to; empty for all.
        public var wabas: [String]
        /// When the report was made (the caller's clock; the renderer reads none).
        public var generatedAt: String
        public var version: String
        public init(pipeline: String, from: String, to: String, wabas: [String], generatedAt: String, version: String) {
            self.pipeline = pipeline; self.from = from; self.to = to; self.wabas = wabas
            self.generatedAt = generatedAt; self.version = version
        }
    }

    /// Renders the page from query results keyed by query name (`ReportCatalog.summaryQuery` and each
    /// chart's `query`). A query missing from `results` is reported on the page, not dropped.
    public static func render(header: Header, results: [String: ResultTable], charts: [ChartSpec] = ReportCatalog.charts) -> String {
        let scope = header.wabas.isEmpty ? "all WABAs" : "WABA " + header.wabas.joined(separator: ", ")
        var body = "<header><h1>WhatsApp Marketing Messages — \(HTMLEscape.text(header.pipeline))</h1>"
        body += "<p class=\"meta\">\(HTMLEscape.text(header.from)) to \(HTMLEscape.text(header.to)) (WABA-local days) · \(HTMLEscape.text(scope)) · generated \(HTMLEscape.text(header.generatedAt)) by \(HTMLEscape.text(header.version))</p>"
        body += "<nav><ol>" + charts.enumerated().map { i, c in "<li><a href=\"#c\(i + 1)\">\(HTMLEscape.text(c.title))</a></li>" }.joined() + "</ol></nav></header>"
        body += "<main><section class=\"summary\" id=\"summary\"><h2>\(HTMLEscape.text(ReportCatalog.summaryTitle))</h2>"
        body += "<p class=\"note\">\(HTMLEscape.text(ReportCatalog.summaryNote))</p>"
        if let summary = results[ReportCatalog.summaryQuery], !summary.rows.isEmpty {
            body += DataTableHTML.render(summary, caption: ReportCatalog.summaryTitle)
        } else {
            body += "<p class=\"empty\">No template analytics in this range.</p>"
        }
        body += "</section>"
        for (i, spec) in charts.enumerated() {
            body += ChartSection.render(spec, results[spec.query], anchor: "c\(i + 1)")
        }
        body += "</main>"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>mmetl report — \(HTMLEscape.text(header.pipeline)) \(HTMLEscape.text(header.from)) to \(HTMLEscape.text(header.to))</title>
        <style>\(style)</style></head>
        <body>\(body)</body></html>

        """
    }

    static let style = """
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:820px;padding:16px;color:#1a1a1a;background:#fff}
    h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 4px;border-top:1px solid #ddd;padding-top:14px}
    .meta,.note{color:#555;font-size:13px;margin:4px 0}nav ol{font-size:13px;columns:2}
    .empty{padding:18px;background:#f6f6f6;border:1px dashed #bbb;color:#444}
    figure{margin:8px 0}figcaption{font-weight:600;font-size:13px}
    svg.chart{max-width:100%;height:auto;font-size:11px}svg .grid{stroke:#e5e5e5}svg .axis{stroke:#555}
    svg .tick,svg .value{fill:#444}svg .caption{fill:#222;font-size:12px}
    .legend{list-style:none;padding:0;margin:2px 0;font-size:12px}.legend li{display:inline-block;margin-right:14px}
    .swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
    table{border-collapse:collapse;font-size:12px;margin:6px 0}caption{text-align:left;font-weight:600;padding:4px 0}
    th,td{border:1px solid #ddd;padding:2px 6px}td.num{text-align:right;font-variant-numeric:tabular-nums}td.null{color:#999}
    details summary{cursor:pointer;font-size:13px;color:#333}
    """
}
