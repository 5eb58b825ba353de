/// The statements that load one send-log file: a temporary stage filled by one COPY, then guarded
/// merges into `sendlog.messages` / `sendlog.statuses`, so any order and any repetition of input
/// gives the same rows. Parameters: `$1` the file's sha256, `$2` the run id (may be NULL).
enum SendLogMergeSQL {
    /// Serializes send-log loads (they update the same message rows); held until commit.
    static let lockName = "mmetl.sendlog.load"

    static let createStage = """
        CREATE TEMP TABLE sendlog_stage (
            kind text NOT NULL, line bigint NOT NULL, wamid text,
            waba_id text, phone_number_id text, template_id text, template_name text, language text,
            recipient_hash text, recipient_country text, endpoint text, product_policy text,
            message_activity_sharing boolean, campaign text, at timestamptz,
            status text, pricing_category text, pricing_type text, pricing_model text, billable boolean,
            origin_type text, route text, error_codes integer[], errors jsonb, reason text, raw text
        ) ON COMMIT DROP;
        CREATE TEMP TABLE sendlog_touched (wamid text NOT NULL) ON COMMIT DROP;  -- duplicates allowed: cheaper than a key
        """

    static let copyStage = "COPY sendlog_stage FROM STDIN"

    /// Send records: insert, or fill a row known so far only from statuses (sent_at NULL). The
    /// first send record of a wamid wins; a repeated one changes nothing.
    static let mergeSends = """
        WITH s AS (
            SELECT DISTINCT ON (wamid) * FROM sendlog_stage WHERE kind = 's' ORDER BY wamid, line
        ), up AS (
            INSERT INTO sendlog.messages AS m (wamid, waba_id, phone_number_id, template_id, template_name, language,
                recipient_hash, recipient_country, endpoint, product_policy, message_activity_sharing, campaign,
                sent_at, source_sha256, run_id)
            SELECT wamid, waba_id, phone_number_id, template_id, template_name, language, recipient_hash,
                recipient_country, endpoint, product_policy, message_activity_sharing, campaign, at, $1, $2::bigint
            FROM s
            ON CONFLICT (wamid) DO UPDATE SET
                waba_id = coalesce(EXCLUDED.waba_id, m.waba_id),
                phone_number_id = coalesce(EXCLUDED.phone_number_id, m.phone_number_id),
                template_id = EXCLUDED.template_id, template_name = EXCLUDED.template_name,
                language = EXCLUDED.language,
                recipient_hash = coalesce(EXCLUDED.recipient_hash, m.recipient_hash),
                recipient_country = coalesce(EXCLUDED.recipient_country, m.recipient_country),
                endpoint = EXCLUDED.endpoint, product_policy = EXCLUDED.product_policy,
                message_activity_sharing = EXCLUDED.message_activity_sharing, campaign = EXCLUDED.campaign,
                sent_at = EXCLUDED.sent_at, updated_at = now()
            WHERE m.sent_at IS NULL
            RETURNING m.wamid, (xmax = 0) AS inserted
        ), t AS (
            INSERT INTO sendlog_touched SELECT wamid FROM up
        )
        SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM up
        """

    /// Messages known from statuses: a row for a wamid not seen yet, and the WABA, phone number and
    /// recipient filled in where the stored row lacks them.
    static let mergeStatusMessages = """
        WITH s AS (
            SELECT DISTINCT ON (wamid) wamid, waba_id, phone_number_id, recipient_hash, recipient_country
            FROM sendlog_stage WHERE kind = 't'
            ORDER BY wamid, (waba_id IS NULL), (phone_number_id IS NULL), (recipient_hash IS NULL), line
        ), up AS (
            INSERT INTO sendlog.messages AS m (wamid, waba_id, phone_number_id, recipient_hash, recipient_country,
                source_sha256, run_id)
            SELECT wamid, waba_id, phone_number_id, recipient_hash, recipient_country, $1, $2::bigint FROM s
            ON CONFLICT (wamid) DO UPDATE SET
                waba_id = coalesce(m.waba_id, EXCLUDED.waba_id),
                phone_number_id = coalesce(m.phone_number_id, EXCLUDED.phone_number_id),
                recipient_hash = coalesce(m.recipient_hash, EXCLUDED.recipient_hash),
                recipient_country = CASE WHEN m.recipient_hash IS NULL THEN EXCLUDED.recipient_country
                                         ELSE m.recipient_country END,
                updated_at = now()
            WHERE (m.waba_id IS NULL AND EXCLUDED.waba_id IS NOT NULL)
               OR (m.phone_number_id IS NULL AND EXCLUDED.phone_number_id IS NOT NULL)
               OR (m.recipient_hash IS NULL AND EXCLUDED.recipient_hash IS NOT NULL)
            RETURNING m.wamid, (xmax = 0) AS inserted
        ), t AS (
            INSERT INTO sendlog_touched SELECT wamid FROM up
        )
        SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM up
        """

    /// Status rows: new (wamid, status, timestamp) only. Parameter: `$1` sha256 only.
    static let mergeStatuses = """
        WITH up AS (
            INSERT INTO sendlog.statuses (wamid, status, status_at, waba_id, phone_number_id, pricing_category,
                pricing_type, pricing_model, billable, origin_type, route, error_codes, errors, source_sha256, source_line)
            SELECT DISTINCT ON (wamid, status, at) wamid, status, at, waba_id, phone_number_id, pricing_category,
                pricing_type, pricing_model, billable, origin_type, route, coalesce(error_codes, '{}'), errors, $1, line
            FROM sendlog_stage WHERE kind = 't'
            ORDER BY wamid, status, at, line
            ON CONFLICT DO NOTHING
            RETURNING wamid
        ), t AS (
            INSERT INTO sendlog_touched SELECT wamid FROM up
        )
        SELECT count(*) AS inserted FROM up
        """

    /// Re-summarizes the statuses of every touched message (from all its stored statuses, so the
    /// order in which they arrived does not matter); rows whose summary is unchanged are not written.
    static let summarize = """
        WITH a AS (
            SELECT st.wamid,
                   min(st.status_at) AS first_at,
                   max(st.status_at) AS last_at,
                   min(st.status_at) FILTER (WHERE st.status = 'sent') AS sent_at,
                   min(st.status_at) FILTER (WHERE st.status = 'delivered') AS delivered_at,
                   min(st.status_at) FILTER (WHERE st.status = 'read') AS read_at,
                   min(st.status_at) FILTER (WHERE st.status = 'failed') AS failed_at,
                   (array_agg(st.status ORDER BY st.status_at DESC, st.status))[1] AS last_status,
                   CASE WHEN bool_or(st.route = 'mm_api') THEN 'mm_api'
                        WHEN bool_or(st.route = 'cloud_api') THEN 'cloud_api'
                        ELSE 'unknown' END AS route,
                   coalesce(min(st.pricing_category) FILTER (WHERE st.pricing_category = 'marketing_lite'),
                            min(st.pricing_category)) AS pricing_category
            FROM sendlog.statuses st
            WHERE st.wamid IN (SELECT wamid FROM sendlog_touched)
            GROUP BY st.wamid
        )
        UPDATE sendlog.messages m SET
            first_status_at = a.first_at, last_status_at = a.last_at, sent_status_at = a.sent_at,
            delivered_at = a.delivered_at, read_at = a.read_at, failed_at = a.failed_at,
            last_status = a.last_status, route = a.route, pricing_category = a.pricing_category, updated_at = now()
        FROM a
        WHERE m.wamid = a.wamid
          AND (m.first_status_at, m.last_status_at, m.sent_status_at, m.delivered_at, m.read_at, m.failed_at,
               m.last_status, m.route, m.pricing_category)
              IS DISTINCT FROM
              (a.first_at, a.last_at, a.sent_at, a.delivered_at, a.read_at, a.failed_at,
               a.last_status, a.route, a.pricing_category)
        """

    /// UTC dates spanned by the touched messages, old buckets included: a message's day can only
    /// move between its send time and its latest status, so [least of those, greatest of those]
    /// covers where it was and where it is.
    static let affectedRange = """
        SELECT (min(least(sent_at, first_status_at)) AT TIME ZONE 'UTC')::date::text AS first_day,
               (max(greatest(sent_at, last_status_at)) AT TIME ZONE 'UTC')::date::text AS last_day
        FROM sendlog.messages WHERE wamid IN (SELECT wamid FROM sendlog_touched)
        """

    /// Rejected lines; `$1` sha256, `$2` path.
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
