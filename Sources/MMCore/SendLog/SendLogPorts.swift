/// The lines of one send-log file, plain or gunzipped, streamed in constant memory.
///
/// `ArchiveGzip.LineReader` has exactly this method, so it conforms with an empty extension.
public protocol SendLogLineSource: AnyObject {
    /// Calls `body` with each line, without its terminator (a CR before LF removed), in order, and
    /// the line's full length. A line longer than `maxLineBytes` is not held whole: the slice is its
    /// beginning only. The slice is valid only during the call.
    func forEachLine(maxLineBytes: Int, _ body: (ArraySlice<UInt8>, Int) throws -> Void) throws
}

/// Receives one file's parsed lines, in order, inside the store's transaction for that file.
public protocol SendLogSink: AnyObject {
    /// One record of physical line `line` (1-based).
    func write(_ item: SendLogItem, line: Int) throws
    /// One rejected line (its `line` is set).
    func write(_ reject: SendLogReject) throws
}

/// A sink whose records may be encoded on several threads at once: each thread writes into a part
/// of its own (`makePart()`), and a filled part is handed over with `append(_:)` — one call at a
/// time (the caller serializes them), parts in any order: every record carries its line number,
/// and what the store makes of a file does not depend on the order of its records.
public protocol SendLogPartedSink: SendLogSink {
    /// An empty part, written by one thread only.
    func makePart() -> any SendLogSink
    /// Writes what `part` holds (a part made by this sink) and empties it.
    func append(_ part: any SendLogSink) throws
}

/// Identity of one file to load.
public struct SendLogFile: Sendable, Hashable {
    /// Lower-case hex sha256 of the file's bytes as given (compressed if gzip).
    public var sha256: String
    /// The path as given on the command line (`-` for stdin).
    public var path: String
    public var runID: Int64?
    public init(sha256: String, path: String, runID: Int64?) {
        self.sha256 = sha256; self.path = path; self.runID = runID
    }
}

/// What parsing one file produced.
public struct SendLogFileCounts: Sendable, Hashable, Codable {
    /// Physical lines read (blank lines and a CSV header included).
    public var lines: Int = 0
    /// Lines that yielded records (a webhook body with several statuses counts once).
    public var loadedLines: Int = 0
    public var rejectedLines: Int = 0
    public var sends: Int = 0
    public var statuses: Int = 0
    public init() {}
}

/// What loading one file changed in the warehouse.
public struct SendLogFileOutcome: Sendable, Hashable {
    public var counts: SendLogFileCounts
    /// Messages inserted (new wamids) and messages whose send record or status summary changed.
    public var newMessages: Int
    public var changedMessages: Int
    /// Status rows inserted (duplicates of stored ones are not counted).
    public var newStatuses: Int
    /// UTC dates spanned by the messages the file touched, widened by one day on each side so that
    /// every WABA-local day they fall on is covered; nil when nothing changed.
    public var affectedDays: ClosedRange<Day>?
    /// True when the file's sha256 was already recorded: nothing was read or changed.
    public var skipped: Bool
    /// Messages whose WABA could not be resolved (no WABA on any of their lines, no stored message
    /// of the same wamid, phone number unknown), and their records: held in `etl.sendlog_pending`,
    /// not loaded, after this file (records held earlier and still unresolved included).
    public var heldMessages: Int
    public var heldRecords: Int
    /// Records held by earlier loads that this load took back (loaded now, or held again).
    public var retriedRecords: Int

    public init(counts: SendLogFileCounts, newMessages: Int, changedMessages: Int, newStatuses: Int,
                affectedDays: ClosedRange<Day>?, skipped: Bool, heldMessages: Int = 0, heldRecords: Int = 0,
                retriedRecords: Int = 0) {
        self.counts = counts; self.newMessages = newMessages; self.changedMessages = changedMessages
        self.newStatuses = newStatuses; self.affectedDays = affectedDays; self.skipped = skipped
        self.heldMessages = heldMessages; self.heldRecords = heldRecords; self.retriedRecords = retriedRecords
    }
}

/// Where send-log records go: one implementation, PostgreSQL (`WarehousePG.PGSendLogStore`).
/// Calls block the calling thread.
public protocol SendLogStore: Sendable {
    /// Whether a file with this sha256 is already recorded in `etl.sendlog_files`.
    func isLoaded(sha256: String) throws -> Bool
    /// Loads one file all or nothing: opens a transaction, hands `produce` a sink streaming into
    /// the database, merges what it wrote, records the file (and its rejects), commits. A file whose
    /// sha256 is recorded by then (a concurrent load) is skipped without calling `produce`.
    func load(_ file: SendLogFile, produce: (any SendLogSink) throws -> SendLogFileCounts) throws -> SendLogFileOutcome
    /// Runs the SQL transforms for the days [from, to], each file in its own transaction; returns
    /// seconds per transform file.
    func runTransforms(from: Day, to: Day) throws -> [(name: String, seconds: Double)]
}
