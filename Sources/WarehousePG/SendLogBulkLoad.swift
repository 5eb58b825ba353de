/// When a send-log load inserts with the tables' indexes set aside (`PGIndexRebuild`): a large
/// first load, or one that at least doubles the warehouse's messages — a partner's history loaded
/// once, a year backfilled. Decided from the data after the stage is built, never from a flag:
///
/// - none of the file's messages is stored (so the statuses need no conflict handling either);
/// - at least `minimumMessages` new messages, and at least as many as `sendlog.messages` holds by
///   the planner's estimate (a table never analyzed counts as empty only when it has no page);
/// - no Citus: there these tables are distributed and index DDL fans out to every shard;
/// - the role running the load owns both tables (PostgreSQL lets only an owner drop and create
///   indexes): the role that ran the migrations does; a login granted only `mmetl_loader` does
///   not, and loads the usual way;
/// - both tables locked ACCESS EXCLUSIVE within `lockWait`. Readers of the send-log tables (an
///   analyst's query, another process's transforms) wait for the load's commit from then on; when
///   one holds the lock longer than `lockWait`, the load goes the usual way instead.
///
/// Then `sendlog.messages` and `sendlog.statuses` lose their indexes until the load rebuilds them,
/// before its commit: nothing else ever sees them without.
enum SendLogBulkLoad {
    static let tables = ["sendlog.messages", "sendlog.statuses"]

    /// New messages below which a load always keeps the indexes (building them costs a sort of the
    /// whole table, which only pays for a large load).
    static let minimumMessages = 50_000

    /// How long the load waits for the tables' exclusive lock before going the usual way.
    static let lockWait = "1s"

    /// `maintenance_work_mem` of the index builds (the status key sort of 2.5 M rows stays in memory).
    static let maintenanceWorkMem = "256MB"

    /// Decides, and when the bulk way is taken locks both tables and sets their indexes aside;
    /// nil: the usual way (nothing was changed).
    static func begin(on c: PGConnection, newMessages: Int, storedMessages: Int, minimumMessages: Int) throws -> [PGIndexRebuild]? {
        guard storedMessages == 0, newMessages > 0, newMessages >= minimumMessages else { return nil }
        let r = try c.query("""
            SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus,
                   (SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class
                    WHERE oid = ANY ($1::text[]::regclass[])) AS owns,
                   reltuples::float8 AS estimate, pg_relation_size(oid) AS bytes
            FROM pg_class WHERE oid = 'sendlog.messages'::regclass
            """, [PGTextArray(tables)])
        guard try r.bool(0, "citus") == false, try r.bool(0, "owns") == true else { return nil }
        let estimate = try r.double(0, "estimate") ?? -1, bytes = try r.int(0, "bytes") ?? 0
        let stored = estimate >= 0 ? estimate : (bytes == 0 ? 0 : Double.infinity)
        guard Double(newMessages) >= stored, try lock(on: c) else { return nil }
        return try tables.map { try PGIndexRebuild.setAside($0, on: c) }
    }

    /// Takes both tables' ACCESS EXCLUSIVE lock waiting at most `lockWait` (in a savepoint, so a
    /// refusal leaves the load's transaction as it was); the session's `lock_timeout` is restored.
    private static func lock(on c: PGConnection) throws -> Bool {
        do {
            try c.transaction { c in
                let before = try c.query("SELECT current_setting('lock_timeout') AS v").string(0, "v") ?? "0"
                try c.execute("SET LOCAL lock_timeout = '\(lockWait)'")
                try c.execute("LOCK TABLE \(tables.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE")
                try c.query("SELECT set_config('lock_timeout', $1, true)", [before])
            }
            return true
        } catch let error as PGError where error.sqlState == "55P03" {  // lock_not_available
            return false
        }
    }
}
