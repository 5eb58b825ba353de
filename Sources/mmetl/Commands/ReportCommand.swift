import ArgumentParser
import Foundation
import MMCore

/// `mmetl report`: one self-contained HTML file of charts over the analyst views.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (inline SVG charts, tables beneath) from the analyst views.",
        discussion: "The queries are sql/report/*.sql. The file fetches nothing: it opens offline and can be mailed. Default range: the 30 days ending on the last day with template analytics.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions
    @Option(name: .long, help: "First WABA-local day (YYYY-MM-DD; default: 29 days before --to).") var from: String?
    @Option(name: .long, help: "Last WABA-local day (YYYY-MM-DD; default: the last day with template analytics).") var to: String?
    @Option(name: .long, help: "Limit to this WABA id (repeatable; default: all).") var waba: [String] = []
    @Option(name: .long, help: "The HTML file to write.") var out: String = "report.html"

    func validate() throws {
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let value, Day(value) == nil { throw ValidationError("\(flag) must be a date YYYY-MM-DD, not \"\(value)\"") }
        }
        if let from, let to, let a = Day(from), let b = Day(to), b < a { throw ValidationError("--from \(from) is after --to \(to)") }
        for id in waba where id.isEmpty || !id.allSatisfy(\.isNumber) {
            throw ValidationError("--waba must be a numeric WABA id, not \"\(id)\"")
        }
    }

    func run() async throws {
        let logger = global.makeLogger()
        try await withExitCodes(logger) {
            let comp = Composition(logger: logger)
            let (config, conn) = try db.connect(comp)
            let written = try ReportWriter.write(connection: conn, sqlRoot: try comp.sqlRoot(), pipeline: config?.name ?? "warehouse",
                                                 from: from, to: to, wabas: waba, out: out)
            print("report \(written.from) to \(written.to): \(written.path)")
            return 0
        }
    }
}
