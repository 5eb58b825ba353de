-- Failure rate by campaign and recipient country, last 7 days: messages of the send log
-- (mm.fact_sends_daily, by the message's WABA-local day) per campaign label as logged by the
-- sender and recipient country (from the calling code), with failed ÷ sent computed from sums.
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d)
SELECT s.campaign, s.recipient_country, c.name AS country_name,
       sum(s.sent) AS sent, sum(s.delivered) AS delivered, sum(s.failed) AS failed,
       round(100.0 * sum(s.failed) / nullif(sum(s.sent), 0), 2) AS failure_rate_pct
FROM mm.fact_sends_daily s
CROSS JOIN asof
LEFT JOIN mm.dim_country c ON c.country_code = s.recipient_country
WHERE s.day > asof.d - 7 AND s.day <= asof.d
GROUP BY s.campaign, s.recipient_country, c.name
ORDER BY failed DESC, sent DESC, s.campaign NULLS LAST, s.recipient_country NULLS LAST;
