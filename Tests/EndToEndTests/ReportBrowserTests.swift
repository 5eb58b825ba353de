import Foundation
import MMTestSupport
import Testing

/// `mmetl report` in a real browser: the demo-sized warehouse (`mmetl demo` into a throwaway
/// database) rendered by headless Chromium to its DOM and a PNG. Fails on a console message, a request
/// or reference to anything outside the file, a chart without data marks, or a figure of the demo's
/// text summary missing from the page.
///
/// It loads a whole demo warehouse and runs a browser, so `make test` runs it in a step of its own
/// (`MMETL_BROWSER_TEST=1`), after the other suites, rather than beside timing-sensitive tests.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["MMETL_BROWSER_TEST"] == "1",
                             "the browser step of make test sets MMETL_BROWSER_TEST=1"))
struct ReportBrowserTests {
    static let summaryTitle = "MM API vs Cloud API"

    @Test func theDemoReportRendersOfflineWithEveryChartDrawnAndTheSummaryFigures() throws {
        let db = try TestDatabase.create(label: "report")
        defer { try? db.drop() }
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mmetl-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let demo = try CLI.run(["demo", "--database", db.url, "--workdir", work.appendingPathComponent("demo").path, "--log-format", "json", "--quiet"],
                               env: ["MMETL_RECIPIENT_HASH_KEY": "report-test-key"])
        try #require(demo.code == 0, "demo exited \(demo.code): \(demo.stderr.suffix(2000))")
        let reportLine = try #require(demo.stdout.components(separatedBy: "\n").first { $0.hasPrefix("Report (") }, "demo printed no report path")
        let page = URL(fileURLWithPath: try #require(reportLine.components(separatedBy: ": ").last))
        let html = try String(contentsOf: page, encoding: .utf8)

        #expect(ReportPageCheck.externalReferences(html) == [], "the file references something outside itself")

        let chromium = try HeadlessChromium(work: work)
        let load = try chromium.load(page)
        try #require(load.dom.contains("</html>"), "no DOM from chromium: \(load.log.suffix(1500))")
        let console = load.log.components(separatedBy: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console == [], "console messages")
        #expect(HeadlessChromium.pageRequests(load.requestedURLs, page: page) == [], "the page made requests")
        #expect(ReportPageCheck.externalReferences(load.dom) == [])

        let (charts, empty) = ReportPageCheck.chartsWithoutMarks(load.dom)
        #expect(empty == [], "charts without data marks")
        // Every section of the demo has data except, possibly, reconciliation exceptions; panels per currency add charts.
        #expect(charts >= 12, "only \(charts) charts drawn")

        let text = ReportPageCheck.textSummaryRows(demo.stdout, section: Self.summaryTitle)
        try #require(text.count >= 2, "no summary table in the demo output")
        #expect(ReportPageCheck.summaryRows(load.dom) == text, "the page's summary differs from the text summary")

        // The PNG, for a person to look at: .build/report-check/report.png.
        let shots = TestDatabase.repositoryRoot.appendingPathComponent(".build/report-check")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let png = shots.appendingPathComponent("report.png")
        try? FileManager.default.removeItem(at: png)
        try chromium.screenshot(page, to: png)
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.count > 50_000, "screenshot missing or blank (\(bytes.count) bytes)")
        try? FileManager.default.copyItem(at: page, to: shots.appendingPathComponent("report.html"))
    }

    /// The checks catch what they are for: a page that fetches, logs to the console and draws nothing.
    @Test func theChecksFailOnAnOffendingPage() throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mmetl-badpage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let page = work.appendingPathComponent("bad.html")
        try """
        <!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.example.invalid/x.css"></head><body>
        <svg class="chart"><title>no marks</title><line x1="0" y1="0" x2="1" y2="1"/></svg>
        <img src="http://203.0.113.9/pixel.png"><script>console.error("boom")</script></body></html>
        """.write(to: page, atomically: true, encoding: .utf8)
        let load = try HeadlessChromium(work: work).load(page)
        #expect(load.log.contains(":CONSOLE"))
        #expect(HeadlessChromium.pageRequests(load.requestedURLs, page: page).contains("http://203.0.113.9/pixel.png"))
        #expect(ReportPageCheck.externalReferences(load.dom).count >= 3)
        #expect(ReportPageCheck.chartsWithoutMarks(load.dom).empty == ["no marks"])
    }
}
