-- mm.fact_errors for the WABA-local days [mmetl.from, mmetl.to], from the failed statuses of the
-- messages of those days; error codes not yet in mm.dim_error_code are added to it first, flagged
-- is_known = false, with the title as received. Idempotent (delete and insert the range).
-- It reads only the send log and dimensions (no table another transform writes), and no other
-- transform reads mm.fact_errors or mm.dim_error_code, so it runs on a connection of its own beside them:
-- mmetl: runs beside the other transforms

-- Aggregates over a whole send-log file's days fit in memory (hashed, not sorted on disk).
SET LOCAL work_mem = '256MB';

-- The failed messages of the range first, analyzed, then their failed statuses: the planner cannot
-- estimate how many messages a day range through a timezone keeps, and took a few thousand for the
-- 88 k failed messages of a 1 M-message load, looking each one's status up in the index (3.8 s);
-- counted, it joins them by hashing (0.9 s), and still looks a few up in the index for a small day.
CREATE TEMP TABLE failed_messages ON COMMIT DROP AS
SELECT m.waba_id, m.wamid, m.phone_number_id, m.template_id, m.route, d.day, m.recipient_country, m.campaign
FROM sendlog.messages m
LEFT JOIN mm.dim_waba w ON w.waba_id = m.waba_id
CROSS JOIN LATERAL (SELECT sendlog.local_day(m.occurred_at, w.timezone) AS day) d
WHERE m.failed_at IS NOT NULL
  AND m.occurred_at >= (current_setting('mmetl.from')::date - 1)::timestamp AT TIME ZONE 'UTC'
  AND m.occurred_at < (current_setting('mmetl.to')::date + 2)::timestamp AT TIME ZONE 'UTC'
  AND d.day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date;
ANALYZE failed_messages;

CREATE TEMP TABLE failed_in_range ON COMMIT DROP AS
SELECT DISTINCT f.waba_id, f.phone_number_id, f.template_id, f.route, f.day, f.recipient_country, f.campaign, f.wamid, e.code
FROM failed_messages f
JOIN sendlog.statuses s ON s.waba_id = f.waba_id AND s.wamid = f.wamid AND s.status = 'failed'
CROSS JOIN LATERAL unnest(CASE WHEN cardinality(s.error_codes) = 0 THEN ARRAY[NULL::integer] ELSE s.error_codes END) AS e(code);

INSERT INTO mm.dim_error_code (code, title, meaning, category, retryable, source, is_known)
SELECT f.code,
       coalesce((SELECT e->>'title'
                 FROM sendlog.statuses s, jsonb_array_elements(s.errors) e
                 WHERE s.waba_id = split_part(min(f.waba_id || ' ' || f.wamid), ' ', 1)
                   AND s.wamid = split_part(min(f.waba_id || ' ' || f.wamid), ' ', 2) AND s.status = 'failed' AND (e->>'code')::integer = f.code
                   AND e->>'title' IS NOT NULL
                 LIMIT 1), 'Unknown error ' || f.code),
       'Not in the seeded catalog: first seen in a send-log webhook; meaning unknown.',
       'delivery', false, 'send log webhook', false
FROM failed_in_range f
WHERE f.code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mm.dim_error_code c WHERE c.code = f.code)
GROUP BY f.code
ON CONFLICT (code) DO NOTHING;

DELETE FROM mm.fact_errors
WHERE day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date;

INSERT INTO mm.fact_errors (waba_id, phone_number_id, template_id, route, day, error_code, recipient_country, campaign, failures, run_id)
SELECT waba_id, phone_number_id, template_id, route, day, code, recipient_country, campaign, count(DISTINCT wamid),
       nullif(current_setting('mmetl.run_id', true), '')::bigint
FROM failed_in_range
GROUP BY waba_id, phone_number_id, template_id, route, day, code, recipient_country, campaign;
