/// How a load records the fact rows it changed in `etl.fact_revisions` (migration 0120), as SQL
/// over the merge's changed rows: a `text[]` of plain values per changed row (no JSON built), and
/// one `etl.fact_revisions` row per WABA and day holding them all (one heap row and index entry
/// per day, not per changed row).
///
/// A changed row's values (`rowValues`), in `etl.fact_revision_layouts` order:
/// - the key columns besides `waba_id` and `day` (`keyColumns`), each the content of a JSON string:
///   text as is, dates and instants as `to_json` writes them (ISO 8601; instants in the session's
///   time zone, UTC for the loader). Key columns are text, date or timestamptz only (`keyTypes`);
/// - the old value of each value column, then the new value of each: its JSON text (`to_json`:
///   numbers as JSON numbers, text and instants as JSON strings, NULL as `null`), or NULL when the
///   column did not change.
///
/// `record` aggregates them per WABA and day (`revision_ids` from `etl.fact_revision_id_seq`, one
/// per row, in the rows' order) with the table's layout, looked up once per statement: a layout
/// missing from the database makes the insert fail (`layout_id` is NOT NULL), so a fact whose
/// columns change needs a migration adding its layout. `mm.v_fact_revisions` builds the JSON back
/// at read time: for the same change the same key and values `jsonb_build_object` wrote before.
///
/// The rows it reads (alias `c`) carry each column under its name, its old value as `old_<name>`
/// and, for value columns, `changed_<name>` (`changedFlags`).
public struct FactRevisionRecord: Sendable, Hashable {
    public let table: FactTable

    /// The types a key column may have: each reads back as a JSON string.
    public static let keyTypes: Set<String> = ["text", "date", "timestamptz"]

    public init(_ table: FactTable) {
        precondition(table.keyColumns.contains { $0.name == "waba_id" } && table.keyColumns.contains { $0.name == "day" },
                     "\(table.name): a fact key holds waba_id and day")
        precondition(table.keyColumns.allSatisfy { Self.keyTypes.contains($0.factType) },
                     "\(table.name): key columns are text, date or timestamptz")
        self.table = table
        precondition(!keyColumns.isEmpty && !table.valueColumns.isEmpty, "\(table.name): a layout has key and value columns")
    }

    /// The key columns besides `waba_id` and `day`, in the fact's column order
    /// (`etl.fact_revision_layouts.key_columns`).
    public var keyColumns: [FactColumn] {
        table.keyColumns.filter { $0.name != "waba_id" && $0.name != "day" }
    }

    /// `<old>.<name> IS DISTINCT FROM <new>.<name> AS changed_<name>` for every value column.
    public func changedFlags(old: String, new: String) -> String {
        table.valueColumns.map { "\(old).\($0.name) IS DISTINCT FROM \(new).\($0.name) AS changed_\($0.name)" }
            .joined(separator: ", ")
    }

    /// The `text[]` recording changed row `alias`: key values, old values, new values.
    public func rowValues(_ alias: String) -> String {
        let keys = keyColumns.map { keyText("\(alias).\($0.name)", $0) }
        let old = table.valueColumns.map { "CASE WHEN \(alias).changed_\($0.name) THEN \(Self.json("\(alias).old_\($0.name)")) END" }
        let new = table.valueColumns.map { "CASE WHEN \(alias).changed_\($0.name) THEN \(Self.json("\(alias).\($0.name)")) END" }
        return "ARRAY[" + (keys + old + new).joined(separator: ", ") + "]::text[]"
    }

    /// INSERT of the records of the rows of `relation` (alias `c`, see the type's comment) meeting
    /// `condition`, written by run `runID` (an SQL expression): one per WABA and day, RETURNING each
    /// record's `revisions` (its changed rows).
    public func record(from relation: String, where condition: String, runID: String) -> String {
        let keys = keyColumns.map { "'\($0.name)'" }.joined(separator: ", ")
        let values = table.valueColumns.map { "'\($0.name)'" }.joined(separator: ", ")
        return """
            INSERT INTO etl.fact_revisions (table_name, waba_id, day, layout_id, revision_ids, revision_values, run_id, changed_at)
            SELECT '\(table.name)', waba_id, day,
                   (SELECT layout_id FROM etl.fact_revision_layouts
                    WHERE table_name = '\(table.name)' AND key_columns = ARRAY[\(keys)]::text[] AND value_columns = ARRAY[\(values)]::text[]),
                   array_agg(nextval('etl.fact_revision_id_seq')), array_agg(revision_values), \(runID), now()
            FROM (SELECT c.waba_id, c.day, \(rowValues("c")) AS revision_values FROM \(relation) c WHERE \(condition)) changed
            GROUP BY waba_id, day
            RETURNING cardinality(revision_ids) AS revisions
            """
    }

    /// A key value as the content of its JSON string.
    private func keyText(_ expression: String, _ column: FactColumn) -> String {
        column.factType == "text" ? expression : "btrim(to_json(\(expression))::text, '\"')"
    }

    /// The JSON text of a value; `null` for NULL.
    private static func json(_ expression: String) -> String {
        "coalesce(to_json(\(expression))::text, 'null')"
    }
}
