-- mm.fact_sends_daily for the WABA-local days [mmetl.from, mmetl.to], from sendlog.messages.
-- Idempotent: deletes the range, then inserts it again from the messages whose day falls in it.
-- A message's day is the date of its send time (else first status) in its WABA's timezone.

-- Aggregates over a whole send-log file's days fit in memory (hashed, not sorted on disk).
SET LOCAL work_mem = '256MB';

DELETE FROM mm.fact_sends_daily
WHERE day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date;

-- The day's rows are computed into a temporary table first: CREATE TABLE AS may read the messages
-- on both cores (a parallel scan and aggregate), an INSERT … SELECT reads them on one. Over 1 M
-- new messages the transform tail fell from 10.2–11.2 s to 8.1–9.5 s with the errors transform
-- beside it.
CREATE TEMP TABLE sends_in_range ON COMMIT DROP AS
SELECT m.waba_id, m.phone_number_id, m.template_id, d.day, m.endpoint, m.route, m.campaign, m.recipient_country,
       CASE WHEN m.route IN ('mm_api', 'cloud_api') THEN m.route
            WHEN m.endpoint = 'messages' THEN 'cloud_api' END AS product,
       count(*) AS sent,
       count(*) FILTER (WHERE m.delivered_at IS NOT NULL OR m.read_at IS NOT NULL) AS delivered,
       count(*) FILTER (WHERE m.read_at IS NOT NULL) AS read,
       count(*) FILTER (WHERE m.failed_at IS NOT NULL) AS failed,
       nullif(current_setting('mmetl.run_id', true), '')::bigint AS run_id
FROM sendlog.messages m
LEFT JOIN mm.dim_waba w ON w.waba_id = m.waba_id
CROSS JOIN LATERAL (SELECT sendlog.local_day(m.occurred_at, w.timezone) AS day) d
-- UTC bounds one day wider than the range on each side (no timezone is 24 h away), for the index.
WHERE m.occurred_at >= (current_setting('mmetl.from')::date - 1)::timestamp AT TIME ZONE 'UTC'
  AND m.occurred_at < (current_setting('mmetl.to')::date + 2)::timestamp AT TIME ZONE 'UTC'
  AND d.day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date
GROUP BY m.waba_id, m.phone_number_id, m.template_id, d.day, m.endpoint, m.route, m.campaign, m.recipient_country;

INSERT INTO mm.fact_sends_daily (waba_id, phone_number_id, template_id, day, endpoint, route, campaign, recipient_country,
                                 product, sent, delivered, read, failed, run_id)
SELECT waba_id, phone_number_id, template_id, day, endpoint, route, campaign, recipient_country,
       product, sent, delivered, read, failed, run_id
FROM sends_in_range;
