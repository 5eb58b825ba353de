/// The SQL that merges a catalog snapshot (`NormalizedBatch.templates`, staged by COPY) into the
/// template dimension, slowly changing type 2:
///
/// 1. `closeChanged` — the current version of a template whose attributes differ from the snapshot
///    is closed: `valid_to` = fetch time, `is_current` = false.
/// 2. `openVersions` — every staged template without a current version (new, or just closed) gets
///    one: `valid_from` = fetch time. Its row count minus the closed count is the new templates.
/// 3. `markSeen` — `mm.dim_template_seen.last_seen_at` moves to the fetch time (never backwards).
///
/// An unchanged template touches only its narrow `dim_template_seen` row. A snapshot older than
/// the current version (a replay of an old archive) changes no version: history is not rewritten.
/// Templates missing from the snapshot are kept as they are (their `last_seen_at` stops moving).
/// All three take `$1` run id (bigint) and `$2` fetch time (epoch seconds, float8).
public enum TemplateCatalogPlan {
    public static let stagingName = "mmetl_stg_template"

    /// Staged columns in COPY order.
    public static let columns: [(name: String, type: String)] = [
        ("waba_id", "text"), ("template_id", "text"), ("name", "text"), ("language", "text"),
        ("category", "text"), ("status", "text"), ("quality_score", "text"), ("bid_amount", "numeric"),
        ("bid_currency", "text"), ("ttl_seconds", "bigint"), ("bid_strategy", "text"), ("send_type", "text"),
    ]

    /// The versioned attributes (everything but the key).
    static var attributes: [String] { columns.dropFirst(2).map(\.name) }

    private static var staging: String { "pg_temp.\(stagingName)" }

    public static var createStaging: String {
        let list = columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        return "CREATE TEMPORARY TABLE IF NOT EXISTS \(stagingName) (\(list)) ON COMMIT DELETE ROWS"
    }

    public static var copy: String {
        "COPY \(staging) (\(columns.map(\.name).joined(separator: ", "))) FROM STDIN"
    }

    public static var closeChanged: String {
        let current = "(" + attributes.map { "v.\($0)" }.joined(separator: ", ") + ")"
        let staged = "(" + attributes.map { "s.\($0)" }.joined(separator: ", ") + ")"
        return """
            UPDATE mm.dim_template_version v
            SET valid_to = to_timestamp($2::float8), is_current = false, run_id = $1::bigint
            FROM \(staging) s
            WHERE v.waba_id = s.waba_id AND v.template_id = s.template_id AND v.is_current
              AND v.valid_from < to_timestamp($2::float8)
              AND \(current) IS DISTINCT FROM \(staged)
            """
    }

    public static var openVersions: String {
        let list = attributes.joined(separator: ", ")
        let selected = attributes.map { "s.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO mm.dim_template_version (waba_id, template_id, valid_from, valid_to, is_current, \(list), run_id)
            SELECT s.waba_id, s.template_id, to_timestamp($2::float8), NULL, true, \(selected), $1::bigint
            FROM \(staging) s
            WHERE NOT EXISTS (
                SELECT 1 FROM mm.dim_template_version v
                WHERE v.waba_id = s.waba_id AND v.template_id = s.template_id
                  AND (v.is_current OR v.valid_from >= to_timestamp($2::float8))
            )
            """
    }

    public static var markSeen: String {
        """
        INSERT INTO mm.dim_template_seen AS t (waba_id, template_id, first_seen_at, last_seen_at, last_seen_run_id)
        SELECT s.waba_id, s.template_id, to_timestamp($2::float8), to_timestamp($2::float8), $1::bigint
        FROM \(staging) s
        ON CONFLICT (waba_id, template_id) DO UPDATE
        SET first_seen_at = LEAST(t.first_seen_at, EXCLUDED.first_seen_at),
            last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at),
            last_seen_run_id = CASE WHEN EXCLUDED.last_seen_at > t.last_seen_at THEN EXCLUDED.last_seen_run_id ELSE t.last_seen_run_id END
        WHERE EXCLUDED.last_seen_at > t.last_seen_at OR EXCLUDED.first_seen_at < t.first_seen_at
        """
    }
}
