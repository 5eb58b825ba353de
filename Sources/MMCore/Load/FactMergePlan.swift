/// The SQL that moves one fact's staged rows into the fact, set-based, in two statements run in
/// the slice's transaction (after COPY into the session's temporary staging table):
///
/// 1. `merge` — the staged rows joined to the fact by key (one LEFT JOIN), in one statement:
///    - rows whose key exists and whose values differ (`IS DISTINCT FROM` on all value columns) are
///      updated: new values, `revision + 1`, `run_id`, `last_fetched_at`; and recorded in
///      `etl.fact_revisions` with the changed columns' old and new values (`FactRevisionRecord`:
///      a text array per changed row, one record per WABA and day, which columns changed computed
///      once per changed row, only for changed rows). The records are built from the changed rows
///      the UPDATE reaches by TID, not from its RETURNING (which would carry every array through
///      the update: 0.5 s of 200,000 changed rows);
///    - rows whose key does not exist are inserted (plain INSERT: no `ON CONFLICT` speculative
///      insertion; the slice lock guarantees no concurrent writer of these keys, as every key
///      begins with `waba_id` and a dataset owns its facts).
///    It returns one row: `inserted`, `updated` and `revisions`. The last two are equal (one
///    revision per updated row) unless another writer changed one of the slice's rows between the
///    statement's snapshot and its update, which the slice lock excludes; the loader fails the
///    slice if they differ.
/// 2. `finalize` — rows of the WABA in the window with a day before `finalBefore` that are not final
///    yet become final: the only update without a revision.
///
/// Before them, `deduplicateStaging` keeps the last staged row of a repeated key (only run when a
/// key may repeat), and `holdsAnyRow` probes the fact: when it holds no row of the WABA in the
/// staged days, `insertAll` replaces 1 (no key can match, so there is nothing to compare).
///
/// Unchanged rows are not written at all: no new tuple version, no dead tuple, no revision.
/// `merged` (new and changed rows only) is materialized first and carries each changed row's
/// partition and ctid, so the UPDATE reaches it by TID (no second search of the 9-column key) and
/// does nothing at all when nothing changed. The ctid is stable between the two: same statement,
/// and the slice lock keeps every other writer off these keys. The statement's parts see the fact
/// as it was before it (one snapshot): the INSERT's rows are not among those the UPDATE reads.
///
/// `merge` and `insertAll` take `$1` run id (bigint), `$2` fetch time (epoch seconds, float8),
/// `$3` final-before date, `$4`/`$5` the first and last staged day (they prune the partitions the
/// fact is read from); `finalize` takes `$1` waba id, `$2` window start, `$3` window end,
/// `$4` final-before date.
public struct FactMergePlan: Sendable, Hashable {
    public let table: FactTable

    public init(_ table: FactTable) { self.table = table }

    private var staging: String { "pg_temp.\(table.stagingName)" }
    private var names: [String] { table.columns.map(\.name) }
    private var keys: [String] { table.keyColumns.map(\.name) }
    private var values: [String] { table.valueColumns.map(\.name) }

    /// Creates the session's staging table (once per connection); emptied at every commit. Its
    /// `mmetl_seq` numbers the rows in COPY order (pages in order), for `deduplicateStaging`.
    public var createStaging: String {
        let columns = table.columns.map { column in
            // Key text in byte order, as in the facts: the join compares like with like.
            let collation = column.role == .key && column.stagingType == "text" ? " COLLATE \"C\"" : ""
            return "\(column.name) \(column.stagingType)\(collation)"
        }.joined(separator: ", ")
        return """
            CREATE TEMPORARY TABLE IF NOT EXISTS \(table.stagingName) (\(columns), \
            mmetl_seq bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DELETE ROWS
            """
    }

    /// Keeps the last staged row of each key (pages are staged in order, so the later page wins,
    /// as `NormalizedBatch.deduplicated()`). Run only when the loader saw a key twice.
    public var deduplicateStaging: String {
        "DELETE FROM \(staging) s USING \(staging) t WHERE \(keyMatch("s", "t")) AND t.mmetl_seq > s.mmetl_seq"
    }

    /// Whether the fact holds any row of WABA `$1` on days [`$2`, `$3`]: when not, no staged key
    /// can exist in it, and `insertAll` replaces `merge`.
    public var holdsAnyRow: String {
        "SELECT EXISTS (SELECT 1 FROM \(table.name) WHERE waba_id = $1 AND day BETWEEN $2::date AND $3::date) AS found"
    }

    /// `COPY … FROM STDIN` in the columns' order (text format).
    public var copy: String { "COPY \(staging) (\(names.joined(separator: ", "))) FROM STDIN" }

    /// Refreshes the planner's statistics of the staging table (temporary tables are never
    /// auto-analyzed; without them the merge may pick nested loops over a million rows). The
    /// sample's size follows `default_statistics_target`, which the loader lowers for the slice.
    public var analyzeStaging: String { "ANALYZE \(staging)" }

    /// The staged rows converted to the fact's types.
    private var source: String {
        let columns = table.columns.map { "\($0.fromStaging) AS \($0.name)" }.joined(separator: ", ")
        return "SELECT \(columns) FROM \(staging) s"
    }

    private func keyMatch(_ left: String, _ right: String) -> String {
        keys.map { "\(left).\($0) = \(right).\($0)" }.joined(separator: " AND ")
    }

    private func row(_ alias: String, _ columns: [String], prefix: String = "") -> String {
        "(" + columns.map { "\(alias).\(prefix)\($0)" }.joined(separator: ", ") + ")"
    }

    /// Statement 1 (see the type's comment): one row, `inserted`, `updated` and `revisions`.
    public var merge: String {
        let record = FactRevisionRecord(table)
        let oldColumns = values.map { "o.\($0) AS old_\($0)" }.joined(separator: ", ")
        let assignments = values.map { "\($0) = c.\($0)" }.joined(separator: ", ")
        return """
            WITH src AS (\(source)),
            merged AS MATERIALIZED (
                SELECT o.tableoid AS target_partition, o.ctid AS target_row, src.*, \(oldColumns),
                       \(record.changedFlags(old: "o", new: "src"))
                FROM src LEFT JOIN \(table.name) o ON \(keyMatch("o", "src")) AND o.day BETWEEN $4::date AND $5::date
                WHERE o.ctid IS NULL OR \(row("o", values)) IS DISTINCT FROM \(row("src", values))
            ),
            updated AS (
                UPDATE \(table.name) f
                SET \(assignments), run_id = $1::bigint, last_fetched_at = to_timestamp($2::float8),
                    revision = f.revision + 1, is_final = f.is_final OR f.day < $3::date
                FROM merged c
                WHERE f.day BETWEEN $4::date AND $5::date AND f.tableoid = c.target_partition AND f.ctid = c.target_row
                RETURNING 1
            ),
            inserted AS (
                \(insertFacts(from: "merged", where: "src.target_row IS NULL"))
                RETURNING 1
            ),
            recorded AS (
                \(record.record(from: "merged", where: "c.target_row IS NOT NULL", runID: "$1::bigint"))
            )
            SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM updated) AS updated,
                   (SELECT coalesce(sum(revisions), 0) FROM recorded) AS revisions
            """
    }

    /// Every staged row inserted, without looking for existing keys (parameters as `merge`;
    /// `$4`/`$5` unused). Only after `holdsAnyRow` found none.
    public var insertAll: String {
        insertFacts(from: "(\(source))", where: "$4::date IS NOT NULL AND $5::date IS NOT NULL")
    }

    /// The rows of `relation` (the fact's columns by name) meeting `condition` (alias `src`)
    /// inserted as new facts (revision 0, final before `$3`).
    private func insertFacts(from relation: String, where condition: String) -> String {
        let columns = names.joined(separator: ", ")
        let selected = names.map { "src.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(table.name) (\(columns), run_id, first_fetched_at, last_fetched_at, revision, is_final)
            SELECT \(selected), $1::bigint, to_timestamp($2::float8), to_timestamp($2::float8), 0, src.day < $3::date
            FROM \(relation) src
            WHERE \(condition)
            """
    }

    public var finalize: String {
        """
        UPDATE \(table.name) SET is_final = true
        WHERE waba_id = $1 AND day >= $2::date AND day <= $3::date AND day < $4::date AND NOT is_final
        """
    }
}
