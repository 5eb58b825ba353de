import MMCore

/// The statements that load one send-log file in one pass: a temporary stage filled by one COPY
/// (plus the records held in `etl.sendlog_pending`), one row per message computed from it
/// (`sendlog_msg`: the message's WABA, send fields and status summary), then one INSERT of the new
/// messages, one INSERT of the statuses and — only when the warehouse already holds some of the
/// file's messages — one UPDATE of those. Any order and any repetition of input gives the same rows.
/// Parameters: `$1` the file's sha256, `$2` the run id (may be NULL).
///
/// The per-message summary is one hash aggregate over the stage: every aggregate in it is plain
/// (`LatestStatusKey` turns the latest status into a `min`), so PostgreSQL sorts nothing per message.
/// Its least values are taken in byte order ("C") whatever the database's collation, as
/// `SendLogFold` takes them for the direct way (`SendLogDirectLoad`).
enum SendLogMergeSQL {
    /// Serializes send-log loads (they write the same message rows); held until commit. Every
    /// writer of `sendlog.*` holds it, so what `sendlog_msg` saw stored stays true until commit.
    static let lockName = "mmetl.sendlog.load"

    /// `work_mem` of a load's transaction (as the send-log transforms use).
    static let workMem = "256MB"

    /// `sha256`/`pending_since` are set only on records taken back from `etl.sendlog_pending`;
    /// `last_key` only on statuses (`LatestStatusKey`). The key columns (`wamid`, `waba_id`,
    /// `status`) are in the "C" collation, as in the send-log tables: opaque ids, compared byte by
    /// byte (no locale rules on millions of rows).
    static let createStage = """
        CREATE TEMP TABLE sendlog_stage (
            kind text NOT NULL, line bigint NOT NULL, wamid text COLLATE "C",
            waba_id text COLLATE "C", phone_number_id text, template_id text, template_name text, language text,
            recipient_hash text, recipient_country text, endpoint text, product_policy text,
            message_activity_sharing boolean, campaign text, at timestamptz,
            status text COLLATE "C", pricing_category text, pricing_type text, pricing_model text, billable boolean,
            origin_type text, route text, error_codes integer[], errors jsonb, reason text, raw text,
            sha256 text, pending_since timestamptz, last_key text COLLATE "C"
        ) ON COMMIT DROP;
        CREATE TEMP TABLE sendlog_touched (waba_id text NOT NULL, wamid text NOT NULL) ON COMMIT DROP;
        """

    static let copyStage = """
        COPY sendlog_stage (kind, line, wamid, waba_id, phone_number_id, template_id, template_name, language,
            recipient_hash, recipient_country, endpoint, product_policy, message_activity_sharing, campaign, at,
            status, pricing_category, pricing_type, pricing_model, billable, origin_type, route, error_codes, errors,
            reason, raw, last_key) FROM STDIN WITH (FORMAT binary)
        """

    /// Takes every held record back into the stage (they load now if their WABA resolves).
    static let takePending = """
        WITH p AS (DELETE FROM etl.sendlog_pending RETURNING *)
        INSERT INTO sendlog_stage (kind, line, wamid, phone_number_id, template_id, template_name, language, recipient_hash,
            recipient_country, endpoint, product_policy, message_activity_sharing, campaign, at, status, pricing_category,
            pricing_type, pricing_model, billable, origin_type, route, error_codes, errors, sha256, pending_since, last_key)
        SELECT kind, source_line, wamid, phone_number_id, template_id, template_name, language, recipient_hash,
            recipient_country, endpoint, product_policy, message_activity_sharing, campaign, at, status, pricing_category,
            pricing_type, pricing_model, billable, origin_type, route, error_codes, errors, source_sha256, pending_since,
            CASE WHEN kind = 't' THEN \(latestStatusKey("at", "status")) END
        FROM p
        """

    /// `LatestStatusKey.key` in SQL, of the timestamptz and text expressions given.
    static func latestStatusKey(_ at: String, _ status: String) -> String {
        "lpad((\(LatestStatusKey.offset) - (extract(epoch FROM \(at)) * 1000000)::bigint)::text, \(LatestStatusKey.digits), '0') || \(status)"
    }

    /// One row per staged message: its WABA — a stored message keeps its own (a distribution
    /// column never changes), else the lines' (send record, else the least webhook entry id), else
    /// that of its phone number when the number belongs to one WABA — whether it is stored, the
    /// first send record (held records first, then by line) and the summary of its staged statuses.
    ///
    /// `sendsRepeat` false: no message has two staged send records (`SendLogKeyCensus`), so they
    /// are taken as they are, without the sort that picks the first (5 s of a 1 M-message file).
    static func buildMessages(sendsRepeat: Bool) -> String {
        let sends = sendsRepeat
            ? "SELECT DISTINCT ON (wamid) \(sendColumns) FROM sendlog_stage WHERE kind = 's' ORDER BY wamid, sha256 IS NULL, line"
            : "SELECT \(sendColumns) FROM sendlog_stage WHERE kind = 's'"
        return "CREATE TEMP TABLE sendlog_msg ON COMMIT DROP AS\nWITH s AS (\n    \(sends)\n), " + messagesFromSendsAndStatuses
    }

    private static let sendColumns = """
        wamid, waba_id, phone_number_id, template_id, template_name, language, recipient_hash,
                recipient_country, endpoint, product_policy, message_activity_sharing, campaign, at AS sent_at
        """

    /// The rest of `buildMessages` after its CTE `s` (the send records, one per message).
    private static let messagesFromSendsAndStatuses = """
        t AS (
            SELECT wamid, min(waba_id) AS waba_id, min(phone_number_id COLLATE "C") AS phone_number_id,
                   -- the recipient of one status (hash and country together): the least hash, else a country alone
                   min((CASE WHEN recipient_hash IS NULL THEN '1' ELSE '0' || recipient_hash END || ' ' || coalesce(recipient_country, '')) COLLATE "C") AS recipient,
                   min(at) AS first_at, max(at) AS last_at,
                   min(at) FILTER (WHERE status = 'sent') AS sent_status_at,
                   min(at) FILTER (WHERE status = 'delivered') AS delivered_at,
                   min(at) FILTER (WHERE status = 'read') AS read_at,
                   min(at) FILTER (WHERE status = 'failed') AS failed_at,
                   substr(min(last_key), \(LatestStatusKey.digits + 1)) AS last_status,
                   CASE WHEN bool_or(route = 'mm_api') THEN 'mm_api' WHEN bool_or(route = 'cloud_api') THEN 'cloud_api'
                        ELSE 'unknown' END AS route,
                   coalesce(min(pricing_category) FILTER (WHERE pricing_category = 'marketing_lite'), min(pricing_category COLLATE "C")) AS pricing_category
            FROM sendlog_stage WHERE kind = 't' GROUP BY wamid
        ), phones AS (
            SELECT phone_number_id, min(waba_id) AS waba_id FROM mm.dim_phone_number
            GROUP BY phone_number_id HAVING count(DISTINCT waba_id) = 1
        )
        SELECT coalesce(s.wamid, t.wamid) AS wamid,
               coalesce(m.waba_id, s.waba_id, t.waba_id, p.waba_id) COLLATE "C" AS waba_id,
               m.wamid IS NOT NULL AS stored, s.wamid IS NOT NULL AS has_send, t.wamid IS NOT NULL AS has_statuses,
               s.phone_number_id AS send_phone, s.template_id, s.template_name, s.language, s.recipient_hash AS send_hash,
               s.recipient_country AS send_country, s.endpoint, s.product_policy, s.message_activity_sharing, s.campaign, s.sent_at,
               t.phone_number_id AS status_phone, nullif(substr(split_part(t.recipient, ' ', 1), 2), '') AS status_hash,
               nullif(split_part(t.recipient, ' ', 2), '') AS status_country,
               t.first_at, t.last_at, t.sent_status_at, t.delivered_at, t.read_at, t.failed_at, t.last_status,
               coalesce(t.route, 'unknown') AS route, t.pricing_category
        FROM s FULL JOIN t ON t.wamid = s.wamid
        LEFT JOIN sendlog.messages m ON m.wamid = coalesce(s.wamid, t.wamid)
        LEFT JOIN phones p ON p.phone_number_id = coalesce(s.phone_number_id, t.phone_number_id)
        """

    /// Counts of `sendlog_msg` — messages, stored ones, unresolved ones — and, in the same scan, the
    /// (UTC) dates the new resolved messages span: `first_day` the least of send time and first
    /// status, `last_day` the greatest of send time and last status (NULL when there is none).
    /// `sendlog_msg` is never written after it is built, so the range holds for the whole load.
    static let messageCounts = """
        SELECT count(*) AS messages, count(*) FILTER (WHERE stored) AS stored, count(*) FILTER (WHERE waba_id IS NULL) AS unresolved,
               (min(least(sent_at, first_at)) FILTER (WHERE NOT stored AND waba_id IS NOT NULL) AT TIME ZONE 'UTC')::date::text AS first_day,
               (max(greatest(sent_at, last_at)) FILTER (WHERE NOT stored AND waba_id IS NOT NULL) AT TIME ZONE 'UTC')::date::text AS last_day
        FROM sendlog_msg
        """

    /// Every record of an unresolved message goes (back) to `etl.sendlog_pending`. Parameter `$1`.
    static let holdUnresolved = """
        WITH h AS (
            INSERT INTO etl.sendlog_pending (kind, wamid, at, status, phone_number_id, template_id, template_name, language,
                recipient_hash, recipient_country, endpoint, product_policy, message_activity_sharing, campaign,
                pricing_category, pricing_type, pricing_model, billable, origin_type, route, error_codes, errors,
                source_sha256, source_line, pending_since)
            SELECT kind, wamid, at, status, phone_number_id, template_id, template_name, language, recipient_hash,
                recipient_country, endpoint, product_policy, message_activity_sharing, campaign, pricing_category,
                pricing_type, pricing_model, billable, origin_type, route, error_codes, errors, coalesce(sha256, $1), line,
                coalesce(pending_since, now())
            FROM sendlog_stage
            WHERE kind IN ('s', 't') AND wamid IN (SELECT wamid FROM sendlog_msg WHERE waba_id IS NULL)
            ON CONFLICT DO NOTHING
            RETURNING wamid
        )
        SELECT count(*) AS held FROM h
        """

    /// Dates spanned by the stored messages this file changed (their old day is inside too: a
    /// message's day only moves between its send time and its latest status).
    static let touchedRange = """
        SELECT (min(least(m.sent_at, m.first_status_at)) AT TIME ZONE 'UTC')::date::text AS first_day,
               (max(greatest(m.sent_at, m.last_status_at)) AT TIME ZONE 'UTC')::date::text AS last_day
        FROM sendlog.messages m JOIN (SELECT DISTINCT waba_id, wamid FROM sendlog_touched) t ON t.waba_id = m.waba_id AND t.wamid = m.wamid
        """

    /// Rejected lines; `$1` sha256, `$2` path. Run only when the sink wrote a reject: it scans the
    /// whole stage (0.45 s of a 1 M-message file).
    static let insertRejects = """
        INSERT INTO etl.sendlog_rejects (sha256, path, line, reason, raw)
        SELECT $1, $2, line, reason, raw FROM sendlog_stage WHERE kind = 'r'
        ON CONFLICT DO NOTHING
        """

    /// `$1` sha256, `$2` path, `$3` lines, `$4` loaded, `$5` rejected, `$6` run id.
    static let recordFile = """
        INSERT INTO etl.sendlog_files (sha256, path, lines, loaded, rejected, run_id)
        VALUES ($1, $2, $3, $4, $5, $6::bigint)
        ON CONFLICT (sha256) DO NOTHING
        """
}
