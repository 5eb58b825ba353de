-- Failures by recipient country, last 7 days: which error codes hit which recipient countries —
-- the US marketing block shows as 131049 on US recipients. Recipients are known only by the
-- country of their calling code (mm.dim_country says where Meta blocks US marketing).
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d)
SELECT e.recipient_country, c.name AS country_name, c.us_marketing_block, e.error_code, k.title,
       sum(e.failures) AS failures
FROM mm.fact_errors e
CROSS JOIN asof
LEFT JOIN mm.dim_country c ON c.country_code = e.recipient_country
LEFT JOIN mm.dim_error_code k ON k.code = e.error_code
WHERE e.day > asof.d - 7 AND e.day <= asof.d
GROUP BY e.recipient_country, c.name, c.us_marketing_block, e.error_code, k.title
ORDER BY failures DESC, e.recipient_country NULLS LAST, e.error_code;
