-- The send-log tables and their facts become distributable by WABA (docs/scale-out.md): `waba_id`
-- NOT NULL and first in every primary and unique key — sendlog.messages (waba_id, wamid),
-- sendlog.statuses (waba_id, wamid, status, status_at) — in the "C" collation of the mm facts, so
-- Citus can co-locate them with mm.fact_template_daily. A message's WABA is resolved when it is
-- staged (see 0100) and never changes afterwards.
--
-- Existing rows with no WABA are resolved where the data allows — from the message's statuses
-- (webhook entry ids), else from its phone number (mm.dim_phone_number, when the number belongs to
-- exactly one WABA) — and the rest move, every record of the message, to etl.sendlog_pending (not
-- deleted): the next send-log load that can resolve them puts them back. The facts of the days
-- those messages fell on are then rebuilt here, with the same statements as sql/transforms.

-- 1. Resolve what can be resolved.
CREATE TEMP TABLE waba_of ON COMMIT DROP AS
SELECT m.wamid,
       coalesce(m.waba_id,
                (SELECT min(s.waba_id) FROM sendlog.statuses s WHERE s.wamid = m.wamid),
                (SELECT min(p.waba_id) FROM mm.dim_phone_number p
                 WHERE p.phone_number_id = coalesce(m.phone_number_id,
                                                    (SELECT min(s.phone_number_id) FROM sendlog.statuses s WHERE s.wamid = m.wamid))
                 HAVING count(DISTINCT p.waba_id) = 1)) AS waba_id
FROM sendlog.messages m WHERE m.waba_id IS NULL OR EXISTS (
    SELECT 1 FROM sendlog.statuses s WHERE s.wamid = m.wamid AND s.waba_id IS DISTINCT FROM m.waba_id);

-- Days (UTC, one wider each side) whose facts must be rebuilt: where the changed messages were counted.
CREATE TEMP TABLE rebuild_days ON COMMIT DROP AS
SELECT ((min(least(m.sent_at, m.first_status_at)) AT TIME ZONE 'UTC')::date - 1) AS first_day,
       ((max(greatest(m.sent_at, m.last_status_at)) AT TIME ZONE 'UTC')::date + 1) AS last_day
FROM sendlog.messages m JOIN waba_of w ON w.wamid = m.wamid WHERE m.waba_id IS NULL;

UPDATE sendlog.messages m SET waba_id = w.waba_id
FROM waba_of w WHERE w.wamid = m.wamid AND w.waba_id IS NOT NULL AND m.waba_id IS NULL;
-- A message's statuses carry the message's WABA (one WABA per wamid).
UPDATE sendlog.statuses s SET waba_id = m.waba_id
FROM sendlog.messages m WHERE m.wamid = s.wamid AND m.waba_id IS NOT NULL AND s.waba_id IS DISTINCT FROM m.waba_id;

-- 2. Hold the rest: the message's send record (when it had one) and its statuses.
INSERT INTO etl.sendlog_pending (kind, wamid, at, phone_number_id, template_id, template_name, language, recipient_hash,
    recipient_country, endpoint, product_policy, message_activity_sharing, campaign, source_sha256, source_line)
SELECT 's', wamid, sent_at, phone_number_id, template_id, template_name, language, recipient_hash, recipient_country,
       endpoint, product_policy, message_activity_sharing, campaign, source_sha256, 0
FROM sendlog.messages WHERE waba_id IS NULL AND sent_at IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO etl.sendlog_pending (kind, wamid, at, status, phone_number_id, recipient_hash, recipient_country, pricing_category,
    pricing_type, pricing_model, billable, origin_type, route, error_codes, errors, source_sha256, source_line)
SELECT 't', s.wamid, s.status_at, s.status, s.phone_number_id, m.recipient_hash, m.recipient_country, s.pricing_category,
       s.pricing_type, s.pricing_model, s.billable, s.origin_type, s.route, s.error_codes, s.errors, s.source_sha256, s.source_line
FROM sendlog.statuses s JOIN sendlog.messages m ON m.wamid = s.wamid WHERE m.waba_id IS NULL
ON CONFLICT DO NOTHING;
DELETE FROM sendlog.statuses s USING sendlog.messages m WHERE m.wamid = s.wamid AND m.waba_id IS NULL;
DELETE FROM sendlog.messages WHERE waba_id IS NULL;

-- 3. The new keys.
ALTER TABLE sendlog.messages
    ALTER COLUMN waba_id TYPE text COLLATE "C",
    ALTER COLUMN waba_id SET NOT NULL,
    DROP CONSTRAINT messages_pkey,
    ADD CONSTRAINT messages_pkey PRIMARY KEY (waba_id, wamid);
-- Resolving a line's WABA from an already stored message of the same wamid.
CREATE INDEX messages_wamid_idx ON sendlog.messages (wamid);

ALTER TABLE sendlog.statuses
    ALTER COLUMN waba_id TYPE text COLLATE "C",
    ALTER COLUMN waba_id SET NOT NULL,
    DROP CONSTRAINT statuses_pkey,
    ADD CONSTRAINT statuses_pkey PRIMARY KEY (waba_id, wamid, status, status_at);

COMMENT ON TABLE sendlog.messages IS 'One row per message (WABA, wamid) of the local send log: what was sent (from the send record) and a summary of its statuses (from sendlog.statuses). A message known only from its statuses has sent_at NULL until its send record is loaded. A message whose WABA is not known yet waits in etl.sendlog_pending.';
COMMENT ON COLUMN sendlog.messages.wamid IS 'WhatsApp message id (wamid.…); unique, but the key is (waba_id, wamid) so the table can be distributed by WABA.';
COMMENT ON COLUMN sendlog.messages.waba_id IS 'WhatsApp Business Account id, resolved when the message is first loaded (a stored message keeps its WABA): from the send record, else a webhook entry id of its statuses, else the WABA of its phone number (mm.dim_phone_number). Never NULL.';
COMMENT ON COLUMN sendlog.statuses.waba_id IS 'WABA of the message (sendlog.messages.waba_id); one per wamid. Never NULL.';

-- 4. The facts: rebuild the days of the changed messages (as sql/transforms does), then the keys.
SELECT set_config('mmetl.from', first_day::text, true), set_config('mmetl.to', last_day::text, true)
FROM rebuild_days WHERE first_day IS NOT NULL;
-- Without such days, an empty range: the statements below delete and insert nothing.
SELECT set_config('mmetl.from', '2000-01-02', true), set_config('mmetl.to', '2000-01-01', true)
WHERE current_setting('mmetl.from', true) IS NULL OR current_setting('mmetl.from', true) = '';

DELETE FROM mm.fact_sends_daily
WHERE day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date OR waba_id IS NULL;
INSERT INTO mm.fact_sends_daily (waba_id, phone_number_id, template_id, day, endpoint, route, campaign, recipient_country,
                                 product, sent, delivered, read, failed, run_id)
SELECT m.waba_id, m.phone_number_id, m.template_id, d.day, m.endpoint, m.route, m.campaign, m.recipient_country,
       CASE WHEN m.route IN ('mm_api', 'cloud_api') THEN m.route WHEN m.endpoint = 'messages' THEN 'cloud_api' END,
       count(*), count(*) FILTER (WHERE m.delivered_at IS NOT NULL OR m.read_at IS NOT NULL),
       count(*) FILTER (WHERE m.read_at IS NOT NULL), count(*) FILTER (WHERE m.failed_at IS NOT NULL), NULL
FROM sendlog.messages m
LEFT JOIN mm.dim_waba w ON w.waba_id = m.waba_id
CROSS JOIN LATERAL (SELECT sendlog.local_day(m.occurred_at, w.timezone) AS day) d
WHERE m.occurred_at >= (current_setting('mmetl.from')::date - 1)::timestamp AT TIME ZONE 'UTC'
  AND m.occurred_at < (current_setting('mmetl.to')::date + 2)::timestamp AT TIME ZONE 'UTC'
  AND d.day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date
GROUP BY m.waba_id, m.phone_number_id, m.template_id, d.day, m.endpoint, m.route, m.campaign, m.recipient_country;

DELETE FROM mm.fact_errors
WHERE day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date OR waba_id IS NULL;
INSERT INTO mm.fact_errors (waba_id, phone_number_id, template_id, route, day, error_code, recipient_country, campaign, failures, run_id)
SELECT waba_id, phone_number_id, template_id, route, day, code, recipient_country, campaign, count(DISTINCT wamid), NULL
FROM (SELECT DISTINCT m.waba_id, m.phone_number_id, m.template_id, m.route, d.day, m.recipient_country, m.campaign, m.wamid, e.code
      FROM sendlog.messages m
      LEFT JOIN mm.dim_waba w ON w.waba_id = m.waba_id
      CROSS JOIN LATERAL (SELECT sendlog.local_day(m.occurred_at, w.timezone) AS day) d
      JOIN sendlog.statuses s ON s.waba_id = m.waba_id AND s.wamid = m.wamid AND s.status = 'failed'
      CROSS JOIN LATERAL unnest(CASE WHEN cardinality(s.error_codes) = 0 THEN ARRAY[NULL::integer] ELSE s.error_codes END) AS e(code)
      WHERE m.failed_at IS NOT NULL
        AND m.occurred_at >= (current_setting('mmetl.from')::date - 1)::timestamp AT TIME ZONE 'UTC'
        AND m.occurred_at < (current_setting('mmetl.to')::date + 2)::timestamp AT TIME ZONE 'UTC'
        AND d.day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date) f
GROUP BY waba_id, phone_number_id, template_id, route, day, code, recipient_country, campaign;

-- The combined per-template fact reads mm.fact_sends_daily: the same days again.
SELECT etl.ensure_performance_partitions(current_setting('mmetl.from')::date, current_setting('mmetl.to')::date)
WHERE current_setting('mmetl.from')::date <= current_setting('mmetl.to')::date;
DELETE FROM mm.fact_template_performance_daily
WHERE day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date;
INSERT INTO mm.fact_template_performance_daily
SELECT * FROM etl.template_performance_rows(current_setting('mmetl.from')::date, current_setting('mmetl.to')::date)
WHERE current_setting('mmetl.from')::date <= current_setting('mmetl.to')::date;

ALTER TABLE mm.fact_sends_daily ALTER COLUMN waba_id SET NOT NULL;
ALTER TABLE mm.fact_errors ALTER COLUMN waba_id SET NOT NULL;
COMMENT ON COLUMN mm.fact_sends_daily.waba_id IS 'WhatsApp Business Account id of the messages (sendlog.messages.waba_id; never NULL: messages whose WABA is unknown wait in etl.sendlog_pending and are not counted yet).';
COMMENT ON COLUMN mm.fact_errors.waba_id IS 'WhatsApp Business Account id of the failed messages (never NULL, as in mm.fact_sends_daily).';
