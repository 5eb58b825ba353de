-- Top error codes this week: failed messages of the send log over the last 7 days by error code,
-- with the catalog's meaning, whether retrying can help, whether the code is known to the catalog,
-- and each code's share of all failures. (mm.fact_errors is by the message's day.)
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d),
week AS (
    SELECT e.error_code, sum(e.failures) AS failures, count(DISTINCT e.waba_id) AS wabas,
           count(DISTINCT e.template_id) AS templates
    FROM mm.fact_errors e, asof
    WHERE e.day > asof.d - 7 AND e.day <= asof.d
    GROUP BY e.error_code
)
SELECT w.error_code, c.title, c.category, c.retryable, c.is_known, w.failures,
       round(100.0 * w.failures / sum(w.failures) OVER (), 1) AS share_pct, w.wabas, w.templates
FROM week w
LEFT JOIN mm.dim_error_code c ON c.code = w.error_code
ORDER BY w.failures DESC, w.error_code
LIMIT 10;
