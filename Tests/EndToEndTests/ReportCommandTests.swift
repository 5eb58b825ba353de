import Foundation
import MMTestSupport
import Testing

/// `mmetl report` as a user runs it: bad flags, and an empty warehouse that says so in every section.
struct ReportCommandTests {
    @Test func badDatesAndWabaIdsExit64NamingTheFlag() throws {
        for (args, needle) in [(["--from", "2026-13-01"], "--from"), (["--from", "2026-11-02", "--to", "2026-11-01"], "after --to"),
                               (["--waba", "12a"], "--waba")] {
            let r = try CLI.run(["report", "--database", "postgresql://127.0.0.1:9/none", "--out", "/dev/null"] + args)
            #expect(r.code == 64, "\(args): exit \(r.code)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
        }
    }

    @Test func anEmptyWarehouseGivesAPageThatSaysSoInsteadOfEmptyAxes() throws {
        let db = try TestDatabase.migrated(label: "report_empty")
        defer { try? db.drop() }
        let out = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mmetl-empty-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["report", "--database", db.url, "--from", "2026-11-01", "--to", "2026-11-30", "--waba", "123", "--out", out.path])
        try #require(r.code == 0, "exit \(r.code): \(r.stderr)")
        #expect(r.stdout.contains("report 2026-11-01 to 2026-11-30: \(out.path)"))
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(!html.contains("<svg"))
        #expect(html.components(separatedBy: "class=\"empty\"").count - 1 == 14, "the summary and each of the 13 charts")
        #expect(html.contains("No template analytics in this range."))
        #expect(html.contains("WABA 123"))
        #expect(ReportPageCheck.externalReferences(html) == [])
    }
}
