import MMCore

/// What `sendlog load` did, per file and in total; its `exitCode` follows SPEC §1.
public struct SendLogSummary: Sendable, CustomStringConvertible {
    public struct FileResult: Sendable {
        public enum Status: Sendable {
            case loaded(SendLogFileOutcome)
            /// The file's sha256 was already recorded.
            case skipped
            /// The file could not be loaded (message names the file and the reason).
            case failed(String)
        }
        public var path: String
        public var sha256: String?
        public var status: Status
        public var seconds: Double
    }

    public var files: [FileResult] = []
    /// The days the transforms ran for (UTC dates, widened by a day each side), nil when none.
    public var transformedDays: ClosedRange<Day>?
    public var transforms: [(name: String, seconds: Double)] = []

    public init() {}

    private var outcomes: [SendLogFileOutcome] {
        files.compactMap { if case .loaded(let o) = $0.status { o } else { nil } }
    }
    public var lines: Int { outcomes.reduce(0) { $0 + $1.counts.lines } }
    public var records: Int { outcomes.reduce(0) { $0 + $1.counts.sends + $1.counts.statuses } }
    public var rejected: Int { outcomes.reduce(0) { $0 + $1.counts.rejectedLines } }
    public var newMessages: Int { outcomes.reduce(0) { $0 + $1.newMessages } }
    public var newStatuses: Int { outcomes.reduce(0) { $0 + $1.newStatuses } }
    /// Messages (and their records) whose WABA is unknown, held in `etl.sendlog_pending` after the last file.
    public var heldMessages: Int { outcomes.last?.heldMessages ?? 0 }
    public var heldRecords: Int { outcomes.last?.heldRecords ?? 0 }
    public var skippedFiles: Int { files.filter { if case .skipped = $0.status { true } else { false } }.count }
    public var failures: [(path: String, message: String)] {
        files.compactMap { if case .failed(let m) = $0.status { ($0.path, m) } else { nil } }
    }

    /// Set when a stop signal ended the load early (the file in progress rolled back).
    public var interruptedBy: String?

    /// 75 when interrupted, 1 when a file could not be loaded (work not done), 3 when lines were
    /// rejected (the good lines loaded), else 0.
    public var exitCode: Int32 {
        if interruptedBy != nil { return 75 }
        if !failures.isEmpty { return 1 }
        return rejected > 0 ? 3 : 0
    }

    public var description: String {
        var out = "send log: \(files.count) file(s), \(outcomes.count) loaded, \(skippedFiles) already loaded, "
            + "\(failures.count) failed; \(lines) lines, \(records) records, \(rejected) rejected "
            + "(etl.sendlog_rejects); \(newMessages) new messages, \(newStatuses) new statuses"
        if heldRecords > 0 {
            out += "; \(heldRecords) records of \(heldMessages) messages held in etl.sendlog_pending (WABA not known yet; "
                + "a later load that resolves it loads them)"
        }
        if let d = transformedDays { out += "; transforms for \(d.lowerBound)…\(d.upperBound)" }
        if let r = interruptedBy { out += "; interrupted by \(r): the file in progress rolled back, re-run to load the rest" }
        for f in failures { out += "\n  failed: \(f.message)" }
        return out
    }
}
