import Foundation
import MMCore

/// Parses one send-log file on several threads: the calling thread reads the file (gunzips it)
/// and cuts it into batches of lines; `workers` threads parse and encode the batches, each into a
/// part of its own (`SendLogPartedSink.makePart()`), and append their part to the sink after each
/// batch, one at a time. Records reach the sink in batch-completion order, which changes nothing
/// in what the store makes of the file (every record carries its line number).
///
/// NDJSON lines stand alone, so they go to the workers. A CSV record can span lines, so a CSV file
/// is parsed on the calling thread, as is a file whose format is sniffed, up to its first
/// non-blank line (it then goes on in parallel when that line says NDJSON). Memory stays bounded
/// whatever the file: a batch ends at `batchLines` lines or once it holds `batchBytes` (one line
/// may take it over by up to `sendlog.max_line_kilobytes`), at most `2 × workers` batches wait, and
/// a part holds one batch's rows.
///
/// The counts, the records, the rejects and their line numbers are those of
/// `SendLogParser.parseFile`. A failure of any thread (a corrupt gzip, a lost connection) stops
/// the others and is thrown; so is an interruption, checked between batches.
struct SendLogParallelParse: Sendable {
    /// Threads that parse and encode.
    let workers: Int
    /// Lines in a batch handed to one worker, at most.
    let batchLines: Int
    /// Bytes after which a batch ends, whatever its number of lines.
    let batchBytes: Int

    init(workers: Int, batchLines: Int = 2048, batchBytes: Int = 1 << 20) {
        self.workers = max(1, workers)
        self.batchLines = max(1, batchLines)
        self.batchBytes = max(1, batchBytes)
    }

    /// Workers for this machine: one per core, at most four (PostgreSQL needs a core for the COPY).
    static var defaultWorkers: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    func parseFile(_ source: any SendLogLineSource, format: SendLogFileFormat, hasher: any RecipientHasher,
                   maxLineBytes: Int, into sink: any SendLogPartedSink, interruption: Interruption) throws -> SendLogFileCounts {
        var parser = SendLogParser(format: format, hasher: hasher)
        var counts = SendLogFileCounts()
        let direct = InterruptibleSink(sink, interruption)
        let pool = WorkerPool(sink: sink, hasher: hasher, maxLineBytes: maxLineBytes, capacity: 2 * workers)
        var batch = LineBatch(capacity: batchBytes)
        do {
            try source.forEachLine(maxLineBytes: maxLineBytes) { slice, length in
                counts.lines += 1
                guard parser.format == .ndjson else {
                    try slice.withUnsafeBufferPointer {
                        try parser.parse(line: $0, length: length, number: counts.lines, maxLineBytes: maxLineBytes,
                                         into: direct, counts: &counts)
                    }
                    return
                }
                if !pool.started { pool.start(workers) }
                batch.append(slice, length: length, number: counts.lines)
                if batch.count >= batchLines || batch.bytes.count >= batchBytes {
                    if let reason = interruption.reason { throw RunInterrupted(reason: reason) }
                    try pool.put(batch)
                    batch = LineBatch(capacity: batchBytes)
                }
            }
            if batch.count > 0 { try pool.put(batch) }
        } catch {
            pool.stop(failure: error)
            throw error
        }
        let parsed = try pool.finish()
        counts.loadedLines += parsed.loadedLines
        counts.rejectedLines += parsed.rejectedLines
        counts.sends += parsed.sends
        counts.statuses += parsed.statuses
        if let reject = parser.finish() {
            counts.rejectedLines += 1
            try direct.write(reject)
        }
        return counts
    }
}

/// Lines copied out of the reader's buffer: their bytes back to back, and where each one is.
private struct LineBatch: @unchecked Sendable {
    var bytes: [UInt8] = []
    var lines: [(start: Int, count: Int, length: Int, number: Int)] = []
    var count: Int { lines.count }

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func append(_ slice: ArraySlice<UInt8>, length: Int, number: Int) {
        lines.append((bytes.count, slice.count, length, number))
        bytes.append(contentsOf: slice)
    }
}

/// The workers, their bounded queue of batches and the sink they take turns on.
private final class WorkerPool: @unchecked Sendable {
    private let sink: any SendLogPartedSink
    private let hasher: any RecipientHasher
    private let maxLineBytes: Int
    private let capacity: Int
    /// Guards `queue`, `closed`, `failure`, `counts`, `running`.
    private let condition = NSCondition()
    private var queue: [LineBatch] = []
    private var closed = false
    private var failure: (any Error)?
    private var counts = SendLogFileCounts()
    private var running = 0
    /// Serializes `sink.append`.
    private let sinkLock = NSLock()
    private(set) var started = false

    init(sink: any SendLogPartedSink, hasher: any RecipientHasher, maxLineBytes: Int, capacity: Int) {
        self.sink = sink; self.hasher = hasher; self.maxLineBytes = maxLineBytes; self.capacity = capacity
    }

    func start(_ workers: Int) {
        started = true
        condition.withLock { running = workers }
        for i in 0..<workers {
            let thread = Thread { [self] in work() }
            thread.name = "mmetl-sendlog-parse-\(i + 1)"
            thread.start()
        }
    }

    /// Queues a batch, waiting while the queue is full; throws a worker's failure.
    func put(_ batch: LineBatch) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity, failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        condition.broadcast()
    }

    /// No more batches: waits for the workers; returns what they parsed, or throws the first failure.
    func finish() throws -> SendLogFileCounts {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        if let failure { throw failure }
        return counts
    }

    /// The reader failed: workers drop what is queued and stop; waits for them.
    func stop(failure error: any Error) {
        condition.lock()
        defer { condition.unlock() }
        if failure == nil { failure = error }
        closed = true
        queue.removeAll()
        condition.broadcast()
        while running > 0 { condition.wait() }
    }

    private func next() -> LineBatch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !closed, failure == nil { condition.wait() }
        guard failure == nil, !queue.isEmpty else { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    private func work() {
        var parser = SendLogParser(format: .ndjson, hasher: hasher)
        let part = sink.makePart()
        var mine = SendLogFileCounts()
        var failed: (any Error)?
        while failed == nil, let batch = next() {
            do {
                try batch.bytes.withUnsafeBufferPointer { all in
                    for l in batch.lines {
                        try parser.parse(line: UnsafeBufferPointer(rebasing: all[l.start..<(l.start + l.count)]), length: l.length,
                                         number: l.number, maxLineBytes: maxLineBytes, into: part, counts: &mine)
                    }
                }
                try sinkLock.withLock { try sink.append(part) }
            } catch {
                failed = error
            }
        }
        condition.withLock {
            if let failed, failure == nil { failure = failed }
            counts.loadedLines += mine.loadedLines
            counts.rejectedLines += mine.rejectedLines
            counts.sends += mine.sends
            counts.statuses += mine.statuses
            running -= 1
            condition.broadcast()
        }
    }
}
