/// The indexes of one table set aside for a bulk insert and built again after it, inside the
/// caller's transaction — what `pg_restore` does: inserting N rows into a table whose B-trees are
/// kept up row by row costs far more than building each B-tree once from a sort of all its rows
/// (and PostgreSQL builds them with parallel workers). Measured on 1 M messages and 2.5 M statuses:
/// the inserts with their indexes kept took 56 s (their key-order sorts included), without indexes
/// 20 s, and building the four indexes after 11 s.
///
/// Contract:
/// - `setAside` drops every index of the table that can be rebuilt from its definition alone:
///   plain indexes and the indexes of primary-key, unique and exclusion constraints. It keeps the
///   ones a foreign key depends on, a replica-identity index and a clustered index (their role
///   would not survive a rebuild). The caller holds the table's ACCESS EXCLUSIVE lock already;
///   readers of the table wait until the transaction ends.
/// - `rebuild` creates them again from the definitions PostgreSQL printed (`pg_get_indexdef`,
///   `pg_get_constraintdef`) under the same names, with their comments, in the same transaction.
///   A rebuild that fails (a duplicate key the insert let in) fails the transaction: nothing of
///   it stays, the table keeps its old indexes.
struct PGIndexRebuild: Sendable {
    /// One index: how to drop it, how to create it again, and its comment (nil: none).
    struct Index: Sendable, Hashable {
        let drop: String
        let create: String
        let comment: String?
    }

    let table: String
    let indexes: [Index]

    /// Per index: the DROP, the CREATE (a constraint's index through its constraint) and the
    /// COMMENT (NULL when it has none), each printed by the server, so names and literals are
    /// quoted by PostgreSQL itself.
    private static let definitions = """
        SELECT CASE WHEN c.oid IS NULL THEN format('DROP INDEX %s', i.indexrelid::regclass)
                    ELSE format('ALTER TABLE %s DROP CONSTRAINT %I', i.indrelid::regclass, c.conname) END AS drop_sql,
               CASE WHEN c.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
                    ELSE format('ALTER TABLE %s ADD CONSTRAINT %I %s', i.indrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
               END AS create_sql,
               CASE WHEN d.comment IS NULL THEN NULL
                    WHEN c.oid IS NULL THEN format('COMMENT ON INDEX %s IS %L', i.indexrelid::regclass, d.comment)
                    ELSE format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, i.indrelid::regclass, d.comment)
               END AS comment_sql
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
        CROSS JOIN LATERAL (SELECT CASE WHEN c.oid IS NULL THEN obj_description(i.indexrelid, 'pg_class')
                                        ELSE obj_description(c.oid, 'pg_constraint') END AS comment) d
        WHERE i.indrelid = $1::regclass AND NOT i.indisreplident AND NOT i.indisclustered
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
        ORDER BY c.contype = 'p' DESC NULLS LAST, i.indexrelid
        """

    /// Reads the table's index definitions and drops those indexes. `table` is a schema-qualified
    /// name (`sendlog.messages`).
    static func setAside(_ table: String, on c: PGConnection) throws -> PGIndexRebuild {
        let rows = try c.query(definitions, [table])
        var indexes: [Index] = []
        for i in 0..<rows.count {
            guard let drop = try rows.string(i, "drop_sql"), let create = try rows.string(i, "create_sql") else { continue }
            indexes.append(Index(drop: drop, create: create, comment: try rows.string(i, "comment_sql")))
        }
        for index in indexes { try c.execute(index.drop) }
        return PGIndexRebuild(table: table, indexes: indexes)
    }

    /// Creates the indexes again (primary key first), with `maintenance_work_mem` for their sorts.
    func rebuild(on c: PGConnection, maintenanceWorkMem: String) throws {
        guard !indexes.isEmpty else { return }
        try c.execute("SET LOCAL maintenance_work_mem = '\(maintenanceWorkMem)'")
        for index in indexes {
            try c.execute(index.create)
            if let comment = index.comment { try c.execute(comment) }
        }
    }
}
