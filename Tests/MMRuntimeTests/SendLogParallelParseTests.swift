import Foundation
import MMCore
import Synchronization
import Testing
@testable import MMRuntime

/// Parsing a file on several threads gives exactly what parsing it on one gives: the same
/// records and rejects with the same line numbers, the same counts, whatever the batch size.
@Suite("Send log parsed on several threads")
struct SendLogParallelParseTests {
    /// Lines as a reader hands them; lines over `maxLineBytes` are cut to their beginning.
    final class Source: SendLogLineSource {
        let lines: [String]
        init(_ lines: [String]) { self.lines = lines }
        func forEachLine(maxLineBytes: Int, _ body: (ArraySlice<UInt8>, Int) throws -> Void) throws {
            for l in lines {
                let bytes = Array(l.utf8)
                try body(bytes.count > maxLineBytes ? bytes.prefix(64) : bytes[...], bytes.count)
            }
        }
    }

    /// Everything written, with the part (thread) it was written through; `failOn` makes the
    /// append of a part holding that line throw.
    final class Recorder: SendLogPartedSink, @unchecked Sendable {
        let written = Mutex<[String]>([])
        let appends = Mutex(0)
        let failOn: Int?
        private var pending: [(String, Int)] = []
        private let parent: Recorder?

        init(failOn: Int? = nil, parent: Recorder? = nil) { self.failOn = failOn; self.parent = parent }

        func write(_ item: SendLogItem, line: Int) throws { try record("\(line) \(item)", line) }
        func write(_ reject: SendLogReject) throws { try record("\(reject.line) \(reject)", reject.line) }

        private func record(_ text: String, _ line: Int) throws {
            if parent != nil { pending.append((text, line)) } else { written.withLock { $0.append(text) } }
        }

        func makePart() -> any SendLogSink { Recorder(failOn: failOn, parent: self) }

        func append(_ part: any SendLogSink) throws {
            let part = part as! Recorder
            if let failOn, part.pending.contains(where: { $0.1 == failOn }) { throw Failure() }
            written.withLock { $0.append(contentsOf: part.pending.map(\.0)) }
            appends.withLock { $0 += 1 }
            part.pending.removeAll()
        }
    }

    struct Failure: Error {}

    static let hasher = try! SendLogRecipientHasher(key: Array("test-key".utf8))

    /// A file with every kind of line: sends, both status forms, blanks, bad JSON, a bad field,
    /// an over-long line, a BOM on the first line.
    static func file(_ n: Int) -> [String] {
        var lines = ["\u{FEFF}" + #"{"kind":"send","wamid":"w0","sent_at":"2026-11-24T12:00:00Z","waba_id":"1","recipient":"+5511987650000"}"#]
        for i in 1..<n {
            switch i % 9 {
            case 0: lines.append("")
            case 1: lines.append(#"{"kind":"status","wamid":"w\#(i / 3)","status":"read","timestamp":"\#(1_795_521_600 + i)","recipient_id":"5511987650\#(i % 10)"}"#)
            case 2: lines.append("{not json")
            case 3: lines.append(#"{"kind":"status","wamid":"w\#(i)","status":"sent","timestamp":"yesterday"}"#)
            case 4: lines.append(String(repeating: "x", count: 300))
            case 5: lines.append(#"{"object":"whatsapp_business_account","entry":[{"id":"7","changes":[{"value":{"statuses":[{"id":"w\#(i)","status":"delivered","timestamp":"\#(1_795_521_600 + i)","recipient_id":"15550001\#(i % 100)"},{"id":"w\#(i)x","status":"failed","timestamp":"\#(1_795_521_601 + i)","recipient_id":"1555"}]},"field":"messages"}]}]}"#)
            default: lines.append(#"{"kind":"send","wamid":"w\#(i)","sent_at":"2026-11-24T12:00:\#(10 + i % 50)Z","waba_id":"\#(i % 4)","recipient":"+44 7700 900\#(i % 1000)"}"#)
            }
        }
        return lines
    }

    static func sequential(_ lines: [String], format: SendLogFileFormat) throws -> (SendLogFileCounts, [String]) {
        let sink = Recorder()
        let counts = try SendLogParser.parseFile(Source(lines), format: format, hasher: hasher, maxLineBytes: 200, into: sink)
        return (counts, sink.written.withLock { $0 })
    }

    @Test(arguments: [(3, 1), (2, 7), (4, 64), (2, 10_000)])
    func severalThreadsGiveWhatOneGives(workers: Int, batchLines: Int) throws {
        let lines = Self.file(1000)
        for format in [SendLogFileFormat.ndjson, .sniff] {
            let (expectedCounts, expected) = try Self.sequential(lines, format: format)
            let sink = Recorder()
            let counts = try SendLogParallelParse(workers: workers, batchLines: batchLines)
                .parseFile(Source(lines), format: format, hasher: Self.hasher, maxLineBytes: 200, into: sink, interruption: Interruption())
            #expect(counts == expectedCounts)
            #expect(sink.written.withLock { $0 }.sorted() == expected.sorted())
            #expect(expectedCounts.rejectedLines > 0 && expectedCounts.statuses > 0 && expectedCounts.sends > 0)
            // Batches went through parts: one append per batch (a sniffed file's first line decides
            // its format on the reading thread).
            let parallelLines = format == .ndjson ? lines.count : lines.count - 1
            #expect(sink.appends.withLock { $0 } == (parallelLines + batchLines - 1) / batchLines)
        }
    }

    @Test func aBatchAlsoEndsAtItsByteLimit() throws {
        let lines = Self.file(1000)
        let (expectedCounts, expected) = try Self.sequential(lines, format: .ndjson)
        let sink = Recorder()
        let counts = try SendLogParallelParse(workers: 2, batchLines: 10_000, batchBytes: 4096)
            .parseFile(Source(lines), format: .ndjson, hasher: Self.hasher, maxLineBytes: 200, into: sink, interruption: Interruption())
        #expect(counts == expectedCounts)
        #expect(sink.written.withLock { $0 }.sorted() == expected.sorted())
        // Each batch ends on the line that takes it to 4,096 bytes or more.
        var batches = 0, bytes = 0
        for line in lines {
            bytes += min(line.utf8.count, line.utf8.count > 200 ? 64 : line.utf8.count)
            if bytes >= 4096 { batches += 1; bytes = 0 }
        }
        if bytes > 0 { batches += 1 }
        #expect(sink.appends.withLock { $0 } == batches)
        #expect(batches > 10)
    }

    @Test func aCSVFileStaysOnTheReadingThread() throws {
        let lines = ["wamid,status,timestamp,waba_id", "w1,sent,1795521600,7", "\"w2", "\",read,1795521601,7", "w3,bad,,7"]
        let (expectedCounts, expected) = try Self.sequential(lines, format: .sniff)
        let sink = Recorder()
        let counts = try SendLogParallelParse(workers: 2, batchLines: 1)
            .parseFile(Source(lines), format: .sniff, hasher: Self.hasher, maxLineBytes: 200, into: sink, interruption: Interruption())
        #expect(counts == expectedCounts)
        #expect(sink.written.withLock { $0 } == expected)
        #expect(sink.appends.withLock { $0 } == 0)
    }

    @Test func aFailingAppendStopsEveryThreadAndIsThrown() {
        let sink = Recorder(failOn: 500)
        #expect(throws: Failure.self) {
            try SendLogParallelParse(workers: 2, batchLines: 16)
                .parseFile(Source(Self.file(5000)), format: .ndjson, hasher: Self.hasher, maxLineBytes: 200, into: sink,
                           interruption: Interruption())
        }
    }

    @Test func anInterruptionStopsTheFileBetweenBatches() {
        let interruption = Interruption()
        interruption.trigger("SIGTERM")
        #expect(throws: RunInterrupted.self) {
            try SendLogParallelParse(workers: 2, batchLines: 16)
                .parseFile(Source(Self.file(100)), format: .ndjson, hasher: Self.hasher, maxLineBytes: 200, into: Recorder(),
                           interruption: interruption)
        }
    }
}
