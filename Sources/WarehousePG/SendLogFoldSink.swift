import MMCore

/// Receives a file's parsed lines for a send-log load: records are folded per message in mmetl
/// (`SendLogFold`), rejects go straight into the stage's COPY (`SendLogCopySink`).
///
/// Memory: the fold grows with the file's messages. Past `budgetBytes` it is written into the stage
/// as records (the stage's SQL then merges what it holds, as it does for any file) and starts
/// again empty; the load then goes the stage's way (`spilled`).
///
/// Parts (`makePart()`) hold one batch's records and encoded rejects; `append` folds them, so the
/// fold itself is touched by one thread at a time (the parser serializes `append`).
final class SendLogFoldSink: SendLogPartedSink {
    /// Bytes a fold may hold by default before it is written into the stage: about 2 M messages
    /// with their statuses.
    static let defaultBudgetBytes = 1 << 30

    private let stage: SendLogCopySink
    private let budgetBytes: Int
    private(set) var fold = SendLogFold()
    /// The fold was written into the stage at least once.
    private(set) var spilled = false

    init(stage: SendLogCopySink, budgetBytes: Int) {
        self.stage = stage
        self.budgetBytes = budgetBytes
    }

    func makePart() -> any SendLogSink { Part() }

    func append(_ part: any SendLogSink) throws {
        guard let part = part as? Part else { preconditionFailure("a part of another sink") }
        for (item, line) in part.items { fold.add(item, line: line) }
        part.items.removeAll(keepingCapacity: true)
        if let rejects = part.rejects {
            try stage.append(rejects)
            part.rejects = nil
        }
        try spillIfOverBudget()
    }

    func write(_ item: SendLogItem, line: Int) throws {
        fold.add(item, line: line)
        try spillIfOverBudget()
    }

    func write(_ reject: SendLogReject) throws { try stage.write(reject) }

    /// The fold as it stands (empty after the last spill when nothing came since).
    func takeFold() -> SendLogFold {
        defer { fold = SendLogFold() }
        return fold
    }

    private func spillIfOverBudget() throws {
        guard fold.estimatedBytes > budgetBytes else { return }
        try fold.forEachRecord { try stage.write($0, line: $1) }
        fold = SendLogFold()
        spilled = true
    }

    /// One thread's batch: its records, and its rejects encoded as stage rows.
    private final class Part: SendLogSink {
        var items: [(SendLogItem, Int)] = []
        var rejects: SendLogCopySink?

        func write(_ item: SendLogItem, line: Int) throws { items.append((item, line)) }

        func write(_ reject: SendLogReject) throws {
            if rejects == nil { rejects = SendLogCopySink.encodingInMemory() }
            try rejects!.write(reject)
        }
    }
}
