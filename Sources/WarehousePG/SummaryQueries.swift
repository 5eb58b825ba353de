import Foundation

/// The queries of the text summary `mmetl demo` prints: `sql/summary/*.sql` in file-name order,
/// each titled by its first line, `-- title: …`.
public struct SummaryQuery: Sendable, Equatable {
    public var file: String
    public var title: String
    public var sql: String

    /// Reads the folder; throws naming the file whose first line is not a title.
    public static func load(from directory: URL) throws -> [SummaryQuery] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try files.map { file in
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let first = text.prefix { $0 != "\n" }
            guard first.hasPrefix("-- title: ") else {
                throw PGError(kind: .decode, message: "\(directory.appendingPathComponent(file).path):1: the first line must be \"-- title: …\"",
                              context: "reading the summary queries")
            }
            return SummaryQuery(file: file, title: String(first.dropFirst("-- title: ".count)), sql: text)
        }
    }
}
