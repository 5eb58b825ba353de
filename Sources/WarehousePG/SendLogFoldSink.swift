import Foundation
import MMCore

/// Receives a file's parsed lines for a send-log load: records are folded per message in mmetl
/// (`SendLogFold`), rejects go straight into the stage's COPY (`SendLogCopySink`).
///
/// The fold is split in `shardCount` shards by wamid, each behind its own lock, so the parser's
/// threads fold their records as they parse them, at the same time. Parts (`makePart()`) fold
/// straight into the shards and keep only their batch's rejects, encoded, for `append`.
///
/// Memory: the fold grows with the file's messages. Past `budgetBytes` (checked at each `append`)
/// every shard is written into the stage as records (the stage's SQL then merges what it holds, as
/// it does for any file) and starts again empty; the load then goes the stage's way (`spilled`).
final class SendLogFoldSink: SendLogPartedSink, @unchecked Sendable {
    /// Bytes a fold may hold by default before it is written into the stage: about 1.8 M messages
    /// with their statuses.
    static let defaultBudgetBytes = 1 << 30
    static let shardCount = 16

    private let stage: SendLogCopySink
    private let budgetBytes: Int
    private let shards: [Shard]
    /// The fold was written into the stage at least once.
    private(set) var spilled = false

    init(stage: SendLogCopySink, budgetBytes: Int) {
        self.stage = stage
        self.budgetBytes = budgetBytes
        self.shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    func makePart() -> any SendLogSink { Part(shards: shards) }

    func append(_ part: any SendLogSink) throws {
        guard let part = part as? Part else { preconditionFailure("a part of another sink") }
        if let rejects = part.rejects {
            try stage.append(rejects)
            part.rejects = nil
        }
        try spillIfOverBudget()
    }

    /// Records written on the calling thread (a CSV file) since the budget was last checked.
    private var unchecked = 0

    func write(_ item: SendLogItem, line: Int) throws {
        Self.fold(item, line: line, into: shards)
        // Summing the shards takes their 16 locks: checked every 1,024 records per 100 MB of
        // budget (at least every record), so the fold passes its budget by about 1 % at most (a
        // record adds under 1 KB).
        unchecked += 1
        if unchecked >= max(1, budgetBytes / 100_000_000 * 1024) {
            unchecked = 0
            try spillIfOverBudget()
        }
    }

    func write(_ reject: SendLogReject) throws { try stage.write(reject) }

    /// The shards' folds as they stand (empty after the last spill when nothing came since); the
    /// sink's shards start again empty.
    func takeFolds() -> [SendLogFold] {
        shards.map { s in s.lock.withLock { defer { s.fold = SendLogFold() }; return s.fold } }
    }

    static func fold(_ item: SendLogItem, line: Int, into shards: [Shard]) {
        let wamid: String
        switch item {
        case .send(let s): wamid = s.wamid
        case .status(let t): wamid = t.wamid
        }
        let shard = shards[Int(UInt(bitPattern: ByteString(wamid).hashValue) % UInt(shards.count))]
        shard.lock.withLock { shard.fold.add(item, line: line) }
    }

    private func spillIfOverBudget() throws {
        let bytes = shards.reduce(0) { sum, s in sum + s.lock.withLock { s.fold.estimatedBytes } }
        guard bytes > budgetBytes else { return }
        for s in shards {
            try s.lock.withLock {
                try s.fold.forEachRecord { try stage.write($0, line: $1) }
                s.fold = SendLogFold()
            }
        }
        spilled = true
    }

    /// One shard of the fold and its lock.
    final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var fold = SendLogFold()
    }

    /// One thread's batch: its records go to the shards as they come; its rejects are kept encoded
    /// as stage rows until `append`.
    private final class Part: SendLogSink {
        let shards: [Shard]
        var rejects: SendLogCopySink?

        init(shards: [Shard]) { self.shards = shards }

        func write(_ item: SendLogItem, line: Int) throws { SendLogFoldSink.fold(item, line: line, into: shards) }

        func write(_ reject: SendLogReject) throws {
            if rejects == nil { rejects = SendLogCopySink.encodingInMemory() }
            try rejects!.write(reject)
        }
    }
}
