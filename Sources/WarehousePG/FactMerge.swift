import Foundation
import MMCore

/// Parameters every merge statement of a slice shares.
struct MergeContext: Sendable {
    let runID: Int64
    /// The slice's fetch time, epoch seconds (bound as `to_timestamp($n::float8)`).
    let fetchedAt: Double
    /// Days strictly before this date are final.
    let finalBefore: String
    let wabaID: String
    let windowStart: String
    let windowEnd: String
}

/// What merging one table did.
package struct MergeOutcome: Sendable {
    package var stats = LoadStats()
    /// Rows whose only change was `is_final` becoming true.
    var finalized: Int64 = 0
    /// Seconds spent in COPY (the rest of `stats.seconds` is the merge and the ledger).
    package var copySeconds: Double = 0

    mutating func add(_ other: MergeOutcome) {
        stats.add(other.stats)
        finalized += other.finalized
        copySeconds += other.copySeconds
    }
}

/// Runs a `FactMergePlan` on a connection inside the slice's transaction, once the slice's pages
/// are staged (`SliceStaging`): deduplicate the staging table when a key may repeat, ANALYZE it;
/// when the fact holds no row of the slice's WABA in the staged days (an EXISTS probe of the data,
/// not the ledger), insert everything; else update changed rows (with revisions) and insert new
/// ones in one statement. Then finalize the window's settled days.
package enum FactMerge {
    /// From this many staged rows on, the merge joins staging and fact only by hashing: not by one
    /// primary-key probe per staged row — the planner prices a probe of the 10-column key far below
    /// what it costs (measured: 200k probes 3.9 s, one hash join 0.8 s) — and not by a merge join
    /// either, which the planner picks once the fact's partition has statistics (autovacuum
    /// analyzes it after the first loads): both sides sorted by the whole key, 200k rows 4.2 s
    /// against 1.0 s by hashing. Below this size every way takes well under a second.
    static let hashJoinThreshold = 50_000

    /// Sets, for the rest of the transaction, how the merge of `rows` staged rows may join staging
    /// and fact: from `hashJoinThreshold` rows on by hashing only (see there); below it as the
    /// planner chooses.
    static func chooseJoins(rows: Int64, on connection: PGConnection) throws {
        let other = rows >= hashJoinThreshold ? "off" : "on"
        try connection.query("SELECT set_config('enable_nestloop', $1, true), set_config('enable_mergejoin', $1, true)", [other])
    }

    static func run(_ staged: StagedFact, on connection: PGConnection, context: MergeContext) throws -> MergeOutcome {
        let plan = FactMergePlan(staged.table)
        var outcome = MergeOutcome()
        if staged.rows > 0, let days = staged.days {
            outcome.stats.rowsCopied = staged.rowsCopied
            outcome.stats.bytesCopied = staged.bytesCopied
            outcome.copySeconds = staged.copySeconds
            var rows = Int64(staged.rows)
            if staged.mayRepeatKeys {
                rows -= Int64(try connection.query(plan.deduplicateStaging).affectedRows ?? 0)
            }
            try connection.execute(plan.analyzeStaging)
            let parameters: [(any PGValue)?] = [context.runID, context.fetchedAt, context.finalBefore, days.first, days.last]
            let empty = try staged.onlySliceWABA
                && !(connection.query(plan.holdsAnyRow, [context.wabaID, days.first, days.last]).bool(0, "found") ?? true)
            if empty {
                outcome.stats.inserted = Int64(try connection.query(plan.insertAll, parameters).affectedRows ?? 0)
            } else {
                try chooseJoins(rows: rows, on: connection)
                let merged = try connection.query(plan.merge, parameters)
                outcome.stats.updated = try merged.int64(0, "updated") ?? 0
                outcome.stats.revisions = try merged.int64(0, "revisions") ?? 0
                outcome.stats.inserted = try merged.int64(0, "inserted") ?? 0
                guard outcome.stats.revisions == outcome.stats.updated else {
                    // Rolls the slice back: a record without its update (or the reverse) is never committed.
                    throw PGError(kind: .server, message: """
                        updated \(outcome.stats.updated) rows but recorded \(outcome.stats.revisions) revisions: \
                        another session changed rows of the slice during the merge
                        """, context: "merging \(staged.table.name)")
                }
            }
            outcome.stats.unchanged = rows - outcome.stats.updated - outcome.stats.inserted
        }
        outcome.finalized = Int64(try connection.query(plan.finalize, [
            context.wabaID, context.windowStart, context.windowEnd, context.finalBefore,
        ]).affectedRows ?? 0)
        return outcome
    }

    /// COPYs the rows `write` produces; returns rows and bytes sent, and the seconds it took.
    package static func copy(_ sql: String, on connection: PGConnection,
                     write: (PGCopyWriter) throws -> Void) throws -> (rows: Int64, bytes: Int64, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        var used: PGCopyWriter?
        let rows = try connection.copyIn(sql: sql) { writer in
            used = writer
            try write(writer)
        }
        // Read after copyIn: it sends the last buffered chunk once the producer returns.
        return (Int64(rows), Int64(used?.bytesSent ?? 0), PGWarehouse.seconds(clock.now - start))
    }
}
