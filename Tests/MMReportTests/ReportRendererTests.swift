import Testing
@testable import MMReport

/// The pure renderer: escaping, empty data, currencies, marks and tables.
struct ReportRendererTests {
    static let header = ReportPage.Header(pipeline: "p", from: "2026-01-01", to: "2026-01-30", wabas: [], generatedAt: "t", version: "v")

    static func table(_ columns: [String], _ rows: [[String?]]) -> ResultTable { ResultTable(columns: columns, rows: rows) }

    @Test func hostileTemplateNamesStayText() {
        let hostile = "<script>alert(1)</script>\" onload=\"x' &amp;"
        let spec = ReportCatalog.charts.first { $0.query == "below_benchmark" }!
        let html = ChartSection.render(spec, Self.table(["template", "read %", "peer p75 read %"], [[hostile, "10.0", "20.0"]]), anchor: "a")
        #expect(!html.contains("<script"))
        #expect(!html.contains("\" onload=\""))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x&#39; &amp;amp;"))
        #expect(HTMLEscape.text("a\u{1}b") == "a\u{FFFD}b")
    }

    @Test func emptyDataSaysSoInsteadOfAnEmptyAxis() {
        let spec = ReportCatalog.charts.first { $0.query == "error_codes" }!
        for table in [Self.table(["day", "error", "failures"], []), Self.table(["day", "error", "failures"], [["2026-01-01", "131049 x", nil]])] {
            let html = ChartSection.render(spec, table, anchor: "a")
            #expect(html.contains(spec.emptyMessage))
            #expect(!html.contains("<svg"))
        }
        let page = ReportPage.render(header: Self.header, results: [:])
        #expect(page.contains("Not available: the query did not run."))
        #expect(page.contains("No template analytics in this range."))
    }

    @Test func currenciesAreNeverSummedButDrawnOnePanelEach() {
        let spec = ReportCatalog.charts.first { $0.query == "spend_daily" }!
        let t = Self.table(["day", "currency", "product", "spend"], [
            ["2026-01-01", "USD", "mm_api", "100.00"], ["2026-01-01", "EUR", "mm_api", "7.00"],
            ["2026-01-02", "USD", "mm_api", "50.00"], ["2026-01-02", "EUR", "mm_api", "3.00"],
        ])
        let data = ChartData(t, spec)
        #expect(data.panels.map(\.key) == ["USD", "EUR"])
        #expect(data.panels[0].series[0].points == ["2026-01-01": 100, "2026-01-02": 50])
        #expect(data.panels[1].series[0].points == ["2026-01-01": 7, "2026-01-02": 3])
        let html = ChartSection.render(spec, t, anchor: "a")
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("spend (USD)") && html.contains("spend (EUR)"))
        #expect(!html.contains(": 107 (") && !html.contains(": 150 (") && html.contains(": 100 (spend (USD))"))
    }

    @Test func everyChartHasMarksAxesUnitsLegendHoverAndTable() {
        let spec = ReportCatalog.charts.first { $0.query == "daily_volume" }!
        let t = Self.table(["day", "product", "sent", "delivered", "read"], [
            ["2026-01-01", "mm_api", "1000", "950", "600"], ["2026-01-01", "cloud_api", "800", "700", "300"],
            ["2026-01-02", "mm_api", "1100", "1000", "650"],
        ])
        let html = ChartSection.render(spec, t, anchor: "a")
        #expect(html.contains("class=\"mark"))
        #expect(html.contains("messages per day") && html.contains("day (WABA-local)"))
        #expect(html.contains("<ul class=\"legend\">") && html.contains("mm_api · sent") && html.contains("cloud_api · read"))
        #expect(html.contains("<title>mm_api · sent · 2026-01-02: 1100 (messages per day)</title>"))
        #expect(html.contains("<td class=\"num\">1100</td>"))
    }

    @Test func barsHandleNegativesAndTheAxisCoversZero() {
        let s = AxisScale(values: [-3, 12])
        #expect(s.min <= -3 && s.max >= 12 && s.ticks.contains(0))
        let flat = AxisScale(values: [])
        #expect(flat.max > flat.min)
    }

    @Test func thePageIsSelfContained() {
        let page = ReportPage.render(header: Self.header, results: [:])
        for needle in ["http://", "https://", "<script", "<link", "@import", "url(", "<img"] {
            #expect(!page.contains(needle), "found \(needle)")
        }
    }
}
