import Foundation
import Logging
import MMCore

/// `mmetl sendlog load PATH... | -`: streams each file through the parser into the store, one
/// transaction per file, then runs the SQL transforms once for the union of the affected days.
///
/// Per file: open (a `.gz` that is not gzip fails here, naming the file), hash the bytes, skip the
/// file if that sha256 is recorded, else parse every line in constant memory (an NDJSON file on
/// several threads: `SendLogParallelParse`) — good lines load,
/// bad lines go to `etl.sendlog_rejects`. A file that fails (unreadable, corrupt gzip, database
/// error) is reported and the next file still loads. Standard input (`-`) is spooled to a
/// temporary file first, so it is hashed and read like any file.
public struct SendLogIngest: Sendable {
    /// Opens a file's lines, plain or gzip (the executable passes `{ try LineReader.open(path: $0) }`).
    public typealias LineOpener = @Sendable (String) throws -> any SendLogLineSource

    private let store: any SendLogStore
    private let open: LineOpener
    private let hasher: SendLogRecipientHasher
    private let logger: Logger
    private let maxLineBytes: Int
    private let parse: SendLogParallelParse
    /// Once triggered, the file in progress rolls back and no further file starts.
    public var interruption = Interruption()

    /// - Parameter parseThreads: threads that parse an NDJSON file (`SendLogParallelParse`); 1
    ///   parses on the loading thread. Default: one per core, at most four.
    /// - Throws: `SendLogKeyError.empty` when `hashKey` is empty.
    public init(store: any SendLogStore, open: @escaping LineOpener, hashKey: [UInt8],
                maxLineBytes: Int = SendLogLimits.defaultMaxLineBytes, parseThreads: Int? = nil, logger: Logger) throws {
        self.store = store
        self.open = open
        self.maxLineBytes = maxLineBytes
        self.parse = SendLogParallelParse(workers: parseThreads ?? SendLogParallelParse.defaultWorkers)
        self.hasher = try SendLogRecipientHasher(key: hashKey)
        self.logger = logger
    }

    /// Loads `paths` in order (`-` is standard input) and transforms the affected days.
    /// Blocking work runs on a thread of its own, not on the cooperative pool.
    public func load(paths: [String], runID: Int64?) async throws -> SendLogSummary {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<SendLogSummary, any Error>) in
            let thread = Thread { done.resume(with: Result { try self.loadBlocking(paths: paths, runID: runID) }) }
            thread.name = "mmetl-sendlog"
            thread.start()
        }
    }

    /// `load(paths:runID:)` on the calling thread.
    public func loadBlocking(paths: [String], runID: Int64?) throws -> SendLogSummary {
        var summary = SendLogSummary()
        var affected: ClosedRange<Day>?
        for path in paths {
            if let reason = interruption.reason { summary.interruptedBy = reason; break }
            let result = loadOne(path: path, runID: runID)
            if let reason = interruption.reason { summary.interruptedBy = reason; break }
            if case .loaded(let outcome) = result.status, let days = outcome.affectedDays {
                affected = affected.map { min($0.lowerBound, days.lowerBound)...max($0.upperBound, days.upperBound) } ?? days
            }
            summary.files.append(result)
        }
        if let affected, summary.interruptedBy == nil {
            let start = ContinuousClock.now
            summary.transforms = try store.runTransforms(from: affected.lowerBound, to: affected.upperBound)
            summary.transformedDays = affected
            logger.info("send log transforms done", metadata: [
                "from": .string(affected.lowerBound.description), "to": .string(affected.upperBound.description),
                "seconds": .stringConvertible(Self.seconds(ContinuousClock.now - start)),
            ])
        }
        return summary
    }

    private func loadOne(path: String, runID: Int64?) -> SendLogSummary.FileResult {
        let start = ContinuousClock.now
        var spooled: String?
        defer { if let spooled { SpooledInputs.release(spooled) } }
        do {
            let readPath: String
            let sha: String
            if path == "-" {
                let s = try SendLogFileDigest.spoolStandardInput()
                spooled = s.path
                (readPath, sha) = (s.path, s.sha256)
            } else {
                readPath = path
                _ = try open(path)  // fails early for a missing file or a .gz that is not gzip
                sha = try SendLogFileDigest.sha256(path: path)
            }
            if try store.isLoaded(sha256: sha) {
                logger.info("send log file already loaded, skipped", metadata: ["path": .string(path), "sha256": .string(sha)])
                return .init(path: path, sha256: sha, status: .skipped, seconds: Self.seconds(ContinuousClock.now - start))
            }
            let source = try open(readPath)
            let format = SendLogFileFormat.of(path: path)
            let outcome = try store.load(SendLogFile(sha256: sha, path: path, runID: runID)) { sink in
                if parse.workers > 1, let parted = sink as? any SendLogPartedSink {
                    return try parse.parseFile(source, format: format, hasher: hasher, maxLineBytes: maxLineBytes,
                                               into: parted, interruption: interruption)
                }
                return try SendLogParser.parseFile(source, format: format, hasher: hasher, maxLineBytes: maxLineBytes,
                                                  into: InterruptibleSink(sink, interruption))
            }
            let seconds = Self.seconds(ContinuousClock.now - start)
            logger.info("send log file loaded", metadata: [
                "path": .string(path), "lines": .stringConvertible(outcome.counts.lines),
                "records": .stringConvertible(outcome.counts.sends + outcome.counts.statuses),
                "rejected": .stringConvertible(outcome.counts.rejectedLines),
                "new_messages": .stringConvertible(outcome.newMessages), "new_statuses": .stringConvertible(outcome.newStatuses),
                "seconds": .stringConvertible(seconds),
            ])
            return .init(path: path, sha256: sha, status: outcome.skipped ? .skipped : .loaded(outcome), seconds: seconds)
        } catch {
            let message = String(describing: error)
            logger.error("send log file failed", metadata: ["path": .string(path), "error": .string(message)])
            return .init(path: path, sha256: nil, status: .failed(message), seconds: Self.seconds(ContinuousClock.now - start))
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Passes writes through, and stops the file (its transaction rolls back) once interrupted.
final class InterruptibleSink: SendLogSink {
    private let inner: any SendLogSink
    private let interruption: Interruption
    private var writes = 0

    init(_ inner: any SendLogSink, _ interruption: Interruption) { self.inner = inner; self.interruption = interruption }

    func write(_ item: SendLogItem, line: Int) throws {
        try check()
        try inner.write(item, line: line)
    }

    func write(_ reject: SendLogReject) throws {
        try check()
        try inner.write(reject)
    }

    private func check() throws {
        writes &+= 1
        if writes & 1023 == 0, let reason = interruption.reason { throw RunInterrupted(reason: reason) }
    }
}
