/// The writes of a send-log load, from `sendlog_msg` (see `SendLogMergeSQL.buildMessages`).
///
/// The row of a message, stored or new, follows one rule: a send record fills the send fields of
/// a message that has none yet (`sent_at` NULL; the first send record wins), its phone number and
/// recipient winning over what statuses said; statuses only fill what is still missing; the status
/// summary is computed from all of the message's statuses. New messages (not stored, WABA known)
/// are inserted without conflict handling: `sendlog_msg` proved them absent under the load lock.
enum SendLogWriteSQL {
    /// New messages, one INSERT with their status summary, in the primary key's order (its index
    /// is appended to, not split at random). Parameters `$1` sha256, `$2` run id.
    static let insertNew = insertNewRows + "\nORDER BY waba_id, wamid"

    /// `insertNew` in no particular order, for a bulk load (`SendLogBulkLoad`): the table has no
    /// index to keep in order, and the sort would cost more than the insert.
    static let insertNewUnordered = insertNewRows

    private static let insertNewRows = """
        INSERT INTO sendlog.messages (waba_id, wamid, phone_number_id, template_id, template_name, language, recipient_hash,
            recipient_country, endpoint, product_policy, message_activity_sharing, campaign, sent_at, first_status_at,
            occurred_at, sent_status_at, delivered_at, read_at, failed_at, last_status, last_status_at, route, pricing_category,
            source_sha256, run_id)
        SELECT waba_id, wamid, coalesce(send_phone, status_phone), template_id, template_name, language,
            coalesce(send_hash, status_hash),
            CASE WHEN send_hash IS NULL AND status_hash IS NOT NULL THEN status_country ELSE coalesce(send_country, status_country) END,
            endpoint, product_policy, message_activity_sharing, campaign, sent_at, first_at, coalesce(sent_at, first_at),
            sent_status_at, delivered_at, read_at, failed_at, last_status, last_at, route, pricing_category,
            $1, $2::bigint
        FROM sendlog_msg WHERE NOT stored AND waba_id IS NOT NULL
        """

    private static let statusInsert = """
        INSERT INTO sendlog.statuses (waba_id, wamid, status, status_at, phone_number_id, pricing_category, pricing_type,
            pricing_model, billable, origin_type, route, error_codes, errors, source_sha256, source_line)
        """

    /// The staged statuses of messages whose WABA is known, as rows of `sendlog.statuses`.
    /// `pickingOnePerKey`: of a (message, status, timestamp) that several staged records name, the
    /// first held one, else the first by line — a sort of every record, which also puts the rows in
    /// the primary key's order. Without it every record is taken as it is, in no order.
    private static func stagedStatuses(pickingOnePerKey: Bool) -> String {
        let distinct = pickingOnePerKey ? "DISTINCT ON (k.waba_id, st.wamid, st.status, st.at) " : ""
        let order = pickingOnePerKey ? "\nORDER BY k.waba_id, st.wamid, st.status, st.at, st.sha256 IS NULL, st.line" : ""
        return statusInsert + "\nSELECT " + distinct + """
            k.waba_id, st.wamid, st.status, st.at, st.phone_number_id, st.pricing_category, st.pricing_type, st.pricing_model,
                st.billable, st.origin_type, st.route, coalesce(st.error_codes, '{}'), st.errors, coalesce(st.sha256, $1), st.line
            FROM sendlog_stage st JOIN sendlog_msg k ON k.wamid = st.wamid
            WHERE st.kind = 't' AND k.waba_id IS NOT NULL
            """ + order
    }

    /// `insertStatusesNew` for a bulk load (`SendLogBulkLoad`) of a file that names each (message,
    /// status, timestamp) once (`SendLogKeyCensus`): every record as it is, in no order — the table
    /// has no index to keep in order and there is nothing to pick. Parameter `$1` sha256.
    static let insertStatusesBulk = stagedStatuses(pickingOnePerKey: false)

    /// Statuses when no staged message is stored: none of them can be stored either (every stored
    /// status has its message stored), so no conflict handling. Parameter `$1` sha256.
    static let insertStatusesNew = stagedStatuses(pickingOnePerKey: true)

    /// Statuses when some messages are stored: new (waba, wamid, status, timestamp) only; the
    /// stored messages that got one are noted in `sendlog_touched`. Parameter `$1` sha256.
    static let insertStatusesGuarded = """
        WITH ins AS (
        \(insertStatusesNew)
            ON CONFLICT DO NOTHING
            RETURNING waba_id, wamid
        ), t AS (
            INSERT INTO sendlog_touched SELECT i.waba_id, i.wamid FROM ins i
            WHERE i.wamid IN (SELECT wamid FROM sendlog_msg WHERE stored)
        )
        SELECT count(*) AS inserted FROM ins
        """

    /// Stored messages of the file: send fields, missing phone number or recipient, and the status
    /// summary over all their stored statuses; unchanged rows are not written. Changed ones are
    /// noted in `sendlog_touched`.
    static let updateStored = """
        WITH k AS (
            SELECT * FROM sendlog_msg WHERE stored
        ), a AS (
            SELECT st.waba_id, st.wamid, min(st.status_at) AS first_at, max(st.status_at) AS last_at,
                   min(st.status_at) FILTER (WHERE st.status = 'sent') AS sent_status_at,
                   min(st.status_at) FILTER (WHERE st.status = 'delivered') AS delivered_at,
                   min(st.status_at) FILTER (WHERE st.status = 'read') AS read_at,
                   min(st.status_at) FILTER (WHERE st.status = 'failed') AS failed_at,
                   (array_agg(st.status ORDER BY st.status_at DESC, st.status COLLATE "C"))[1] AS last_status,  -- as LatestStatusKey
                   CASE WHEN bool_or(st.route = 'mm_api') THEN 'mm_api' WHEN bool_or(st.route = 'cloud_api') THEN 'cloud_api'
                        ELSE 'unknown' END AS route,
                   coalesce(min(st.pricing_category) FILTER (WHERE st.pricing_category = 'marketing_lite'),
                            min(st.pricing_category COLLATE "C")) AS pricing_category
            FROM sendlog.statuses st JOIN k ON k.waba_id = st.waba_id AND k.wamid = st.wamid
            GROUP BY st.waba_id, st.wamid
        ), n AS (
            SELECT m.waba_id, m.wamid,
                   coalesce(CASE WHEN x.ap THEN k.send_phone END, m.phone_number_id, k.status_phone) AS phone_number_id,
                   CASE WHEN x.ap THEN k.template_id ELSE m.template_id END AS template_id,
                   CASE WHEN x.ap THEN k.template_name ELSE m.template_name END AS template_name,
                   CASE WHEN x.ap THEN k.language ELSE m.language END AS language,
                   coalesce(x.h1, k.status_hash) AS recipient_hash,
                   CASE WHEN x.h1 IS NULL AND k.status_hash IS NOT NULL THEN k.status_country
                        ELSE coalesce(x.c1, k.status_country) END AS recipient_country,
                   CASE WHEN x.ap THEN k.endpoint ELSE m.endpoint END AS endpoint,
                   CASE WHEN x.ap THEN k.product_policy ELSE m.product_policy END AS product_policy,
                   CASE WHEN x.ap THEN k.message_activity_sharing ELSE m.message_activity_sharing END AS message_activity_sharing,
                   CASE WHEN x.ap THEN k.campaign ELSE m.campaign END AS campaign,
                   CASE WHEN x.ap THEN k.sent_at ELSE m.sent_at END AS sent_at,
                   a.first_at, a.last_at, a.sent_status_at, a.delivered_at, a.read_at, a.failed_at, a.last_status,
                   coalesce(a.route, m.route) AS route, a.pricing_category
            FROM k JOIN sendlog.messages m ON m.waba_id = k.waba_id AND m.wamid = k.wamid
            LEFT JOIN a ON a.waba_id = k.waba_id AND a.wamid = k.wamid
            CROSS JOIN LATERAL (
                SELECT k.has_send AND m.sent_at IS NULL AS ap,
                       CASE WHEN k.has_send AND m.sent_at IS NULL THEN coalesce(k.send_hash, m.recipient_hash) ELSE m.recipient_hash END AS h1,
                       CASE WHEN k.has_send AND m.sent_at IS NULL THEN coalesce(k.send_country, m.recipient_country) ELSE m.recipient_country END AS c1
            ) x
        ), up AS (
            UPDATE sendlog.messages m SET
                phone_number_id = n.phone_number_id, template_id = n.template_id, template_name = n.template_name,
                language = n.language, recipient_hash = n.recipient_hash, recipient_country = n.recipient_country,
                endpoint = n.endpoint, product_policy = n.product_policy, message_activity_sharing = n.message_activity_sharing,
                campaign = n.campaign, sent_at = n.sent_at, first_status_at = n.first_at,
                occurred_at = coalesce(n.sent_at, n.first_at), last_status_at = n.last_at,
                sent_status_at = n.sent_status_at, delivered_at = n.delivered_at, read_at = n.read_at, failed_at = n.failed_at,
                last_status = n.last_status, route = n.route, pricing_category = n.pricing_category, updated_at = now()
            FROM n
            WHERE m.waba_id = n.waba_id AND m.wamid = n.wamid
              AND (m.phone_number_id, m.template_id, m.template_name, m.language, m.recipient_hash, m.recipient_country,
                   m.endpoint, m.product_policy, m.message_activity_sharing, m.campaign, m.sent_at, m.first_status_at,
                   m.last_status_at, m.sent_status_at, m.delivered_at, m.read_at, m.failed_at, m.last_status, m.route,
                   m.pricing_category)
                  IS DISTINCT FROM
                  (n.phone_number_id, n.template_id, n.template_name, n.language, n.recipient_hash, n.recipient_country,
                   n.endpoint, n.product_policy, n.message_activity_sharing, n.campaign, n.sent_at, n.first_at,
                   n.last_at, n.sent_status_at, n.delivered_at, n.read_at, n.failed_at, n.last_status, n.route,
                   n.pricing_category)
            RETURNING m.waba_id, m.wamid
        ), t AS (
            INSERT INTO sendlog_touched SELECT waba_id, wamid FROM up
        )
        SELECT count(*) AS updated FROM up
        """
}
