import ArchiveGzip
import Foundation
import MMCore
import MMRuntime
import WarehousePG

/// The send-log parser alone, on one core, over a gzip NDJSON send log (as `sendlog-generate`
/// writes): per line what `mmetl sendlog load` does on each of its worker threads — the JSON read,
/// the records built, the recipient HMAC and, by `Mode`, the records folded per message as the load
/// does (no database), or the stage's binary COPY rows encoded in memory, or nothing. Gunzipping and
/// cutting the lines is timed in a pass of its own and left out of `parseSeconds`, so the figure
/// follows the parser, not zlib.
public enum SendLogParseBench {
    /// What becomes of the records.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Folded per message (`SendLogFold`), as the load's workers do.
        case fold
        /// Encoded as the stage's binary COPY rows, as the load's stage's way writes them.
        case encode
        /// Dropped.
        case drop
    }

    public struct Report: Sendable, Codable {
        public var lines: Int
        public var records: Int
        public var rejected: Int
        /// Gunzip and line cutting alone (one pass, nothing parsed).
        public var readSeconds: Double
        /// The pass that parses (reading included) minus `readSeconds`.
        public var parseSeconds: Double
        public var linesPerSecond: Double
        public var microsecondsPerLine: Double
        public var mode: Mode
        /// Bytes of COPY rows encoded (`encode`).
        public var encodedBytes: Int
        /// Messages folded (`fold`).
        public var foldedMessages: Int
    }

    public static func run(path: String, hashKey: [UInt8], mode: Mode) throws -> Report {
        let encode = mode == .encode
        let maxLineBytes = SendLogLimits.defaultMaxLineBytes
        let clock = ContinuousClock()
        var start = clock.now
        var lines = 0
        try LineReader.open(path: path).forEachLine(maxLineBytes: maxLineBytes) { _, _ in lines += 1 }
        let read = PGWarehouse.seconds(clock.now - start)

        var parser = SendLogParser(format: .ndjson, hasher: try SendLogRecipientHasher(key: hashKey))
        var counts = SendLogFileCounts()
        let sink = encode ? SendLogCopySink.encodingInMemory() : nil
        let folding = mode == .fold ? FoldingSink() : nil
        var part: any SendLogSink = sink?.makePart() ?? (folding.map { $0 as any SendLogSink } ?? DroppingSink())
        var bytes = 0
        start = clock.now
        try LineReader.open(path: path).forEachLine(maxLineBytes: maxLineBytes) { slice, length in
            counts.lines += 1
            try slice.withUnsafeBufferPointer {
                try parser.parse(line: $0, length: length, number: counts.lines, maxLineBytes: maxLineBytes, into: part,
                                 counts: &counts)
            }
            // A batch's worth, as a worker's part holds: its rows are counted and dropped.
            if let sink, counts.lines % 2048 == 0 {
                bytes += SendLogCopySink.encodedBytes(of: part)
                part = sink.makePart()
            }
        }
        let total = PGWarehouse.seconds(clock.now - start)
        bytes += SendLogCopySink.encodedBytes(of: part)  // 0 for dropped records
        let parse = max(total - read, 1e-9)
        return Report(lines: lines, records: counts.sends + counts.statuses, rejected: counts.rejectedLines,
                      readSeconds: read, parseSeconds: parse, linesPerSecond: Double(lines) / parse,
                      microsecondsPerLine: parse * 1e6 / Double(max(lines, 1)), mode: mode, encodedBytes: bytes,
                      foldedMessages: folding?.fold.messageCount ?? 0)
    }
}

/// Folds records per message.
private final class FoldingSink: SendLogSink {
    var fold = SendLogFold()
    func write(_ item: SendLogItem, line: Int) throws { fold.add(item, line: line) }
    func write(_ reject: SendLogReject) throws {}
}

/// Takes records and drops them.
private final class DroppingSink: SendLogSink {
    func write(_ item: SendLogItem, line: Int) throws {}
    func write(_ reject: SendLogReject) throws {}
}
