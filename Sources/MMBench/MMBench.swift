import ArgumentParser
import Foundation
import Logging
import MMBenchmarks

/// `mmetl-bench`: the Swift micro-benchmarks `make bench` runs and reports (not shipped with mmetl).
/// Each subcommand prints one JSON object on stdout.
@main
struct MMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmetl-bench", abstract: "mmetl's micro-benchmarks (used by make bench).",
        subcommands: [Normalize.self, Merge.self, SendlogGenerate.self, SendlogParse.self])

    struct Normalize: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Normalize, gunzip and gzip throughput over an archive directory.")
        @Argument(help: "An archive directory (archive.dir of a pipeline).") var directory: String
        @Option(help: "Passes over the pages.") var passes = 1

        func run() throws {
            let report = try NormalizeBench.run(directory: directory, passes: passes)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The warehouse's load paths on N synthetic pricing rows: all new, all unchanged, all changed.")
        @Option(help: "A migrated database with empty facts (libpq URL).") var database: String
        @Option(help: "Rows per slice.") var rows = 200_000

        func run() throws {
            var logger = Logger(label: "mmetl-bench")
            logger.logLevel = .warning
            let report = try PGWarehouseBench.run(conninfo: database, rows: rows, psqlPath: nil, logger: logger)
            var phases: [String: [String: Double]] = [:]
            for p in report.phases { phases[p.name] = ["seconds": p.seconds, "rows_per_s": p.rowsPerSecond] }
            let json: [String: Any] = ["rows": report.rows, "copy_bytes": report.copyBytes, "phases": phases]
            print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
        }
    }

    struct SendlogParse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sendlog-parse",
            abstract: "The send-log parser alone on one core (JSON, records, recipient HMAC, records folded per message) over a gzip NDJSON file.")
        @Argument(help: "A send log (.ndjson.gz), e.g. from sendlog-generate.") var file: String
        @Option(help: "fold: records folded per message, as the load does; encode: the stage's COPY rows encoded; drop: records dropped.")
        var mode: String = SendLogParseBench.Mode.fold.rawValue

        func run() throws {
            guard let mode = SendLogParseBench.Mode(rawValue: mode) else {
                throw ValidationError("--mode: one of \(SendLogParseBench.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let report = try SendLogParseBench.run(path: file, hashKey: Array("bench-recipient-key".utf8), mode: mode)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    struct SendlogGenerate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sendlog-generate",
            abstract: "Write a send log of exactly N messages (gzip NDJSON, fixed seed) for the send-log benchmark.")
        @Option(help: "Messages to write.") var messages = 1_000_000
        @Option(help: "Output file (.ndjson.gz).") var out: String
        @Option(name: .customLong("as-of"), help: "Last day of the window (YYYY-MM-DD).") var asOf = "2026-05-31"
        @Option(help: "Days in the window (filled from its first day until N messages).") var days = 90
        @Option(help: "Simulated WABAs.") var wabas = 40
        @Option(help: "Templates per WABA.") var templates = 25
        @Option(help: "Seed of the simulated business.") var seed: UInt64 = 42

        func validate() throws {
            if messages < 1 { throw ValidationError("--messages must be at least 1") }
            if days < 1 || wabas < 1 || templates < 1 { throw ValidationError("--days, --wabas and --templates must be at least 1") }
        }

        func run() throws {
            let report = try SendLogGenerate.run(messages: messages, out: out, asOf: asOf, days: days, wabas: wabas,
                                                 templatesPerWABA: templates, seed: seed)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
}
