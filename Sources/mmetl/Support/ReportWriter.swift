import Foundation
import MMCore
import MMReport
import WarehousePG

/// Runs the report's queries (`sql/report/*.sql`) and writes the page `MMReport` renders.
enum ReportWriter {
    /// The range and file a report covered.
    struct Written { var path: String; var from: String; var to: String }

    /// Resolves the range (`range.sql`; nil ends default to the 30 days ending on the last day with
    /// template analytics), runs every query the catalog names with `$1` from, `$2` to, `$3` the WABA
    /// ids (comma-separated, NULL for all) and writes the HTML to `out` (temp file + rename).
    /// - Throws: `CommandFailure(.config)` naming the SQL file that is missing or failed.
    static func write(connection: PGConnection, sqlRoot: URL, pipeline: String, from: String?, to: String?,
                      wabas: [String], out: String, now: Date = Date()) throws -> Written {
        let dir = sqlRoot.appendingPathComponent("report")
        let wabaParam: String? = wabas.isEmpty ? nil : wabas.joined(separator: ",")
        let range = try run(dir, ReportCatalog.rangeQuery, connection, [from, to, wabaParam])
        guard let first = range.rows.first, let fromDay = first[0], let toDay = first[1] else {
            throw CommandFailure(.config, "\(dir.path)/range.sql: returned no range")
        }
        var results: [String: ResultTable] = [:]
        for name in [ReportCatalog.summaryQuery] + ReportCatalog.charts.map(\.query) where results[name] == nil {
            results[name] = try run(dir, name, connection, [fromDay, toDay, wabaParam])
        }
        let stamp = ISO8601DateFormatter().string(from: now)
        let html = ReportPage.render(header: .init(pipeline: pipeline, from: fromDay, to: toDay, wabas: wabas,
                                                   generatedAt: stamp, version: "mmetl \(BuildInfo.versionLine)"),
                                     results: results)
        let url = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try Data(html.utf8).write(to: tmp)
        guard rename(tmp.path, url.path) == 0 else {
            throw CommandFailure(.config, "\(url.path): cannot write the report (errno \(errno))")
        }
        return Written(path: url.path, from: fromDay, to: toDay)
    }

    /// One query file's result as text.
    static func run(_ dir: URL, _ name: String, _ connection: PGConnection, _ params: [String?]) throws -> ResultTable {
        let file = dir.appendingPathComponent("\(name).sql")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CommandFailure(.config, "\(file.path): cannot read the report query")
        }
        let rows: PGRows
        do {
            rows = try connection.query(String(decoding: data, as: UTF8.self), params.map { $0 })
        } catch {
            throw CommandFailure(.terminal, "\(file.path): \(error)")
        }
        var out: [[String?]] = []
        for r in 0..<rows.count { out.append(try (0..<rows.columns.count).map { try rows.string(r, $0) }) }
        return ResultTable(columns: rows.columns, rows: out)
    }
}
