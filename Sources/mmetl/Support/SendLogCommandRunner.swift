import ArchiveGzip
import Foundation
import Logging
import MMCore
import MMRuntime
import WarehousePG

extension LineReader: SendLogLineSource {}

/// Wires `sendlog load`: the PostgreSQL store, the gzip-aware line reader, the keyed hasher.
enum SendLogCommandRunner {
    /// Loads `paths`, prints the summary, returns the exit code (3 when any line was rejected).
    static func run(paths: [String], databaseURL: String, hashKey: [UInt8], sqlRoot: URL, settings: [String: String] = [:],
                    maxLineBytes: Int = SendLogLimits.defaultMaxLineBytes, parseThreads: Int? = nil, foldBytes: Int? = nil,
                    logger: Logger) async throws -> Int32 {
        let store = try SendLogPGStore(url: databaseURL, transformsDirectory: sqlRoot.appendingPathComponent("transforms"),
                                       settings: settings, logger: logger, foldBudgetBytes: foldBytes)
        var ingest = try SendLogIngest(store: store, open: { try LineReader.open(path: $0) }, hashKey: hashKey, maxLineBytes: maxLineBytes,
                                       parseThreads: parseThreads, logger: logger)
        StopSignals.install(logger: logger)
        ingest.interruption = StopSignals.interruption
        let summary = try await ingest.load(paths: paths, runID: nil)
        print(summary.description)
        return summary.exitCode
    }
}
