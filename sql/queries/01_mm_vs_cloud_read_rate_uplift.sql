-- MM API vs Cloud API read rate uplift, last 30 days, per template sent through both products.
-- Read rate = read / delivered from template_analytics (mm.fact_template_daily). uplift_points is
-- the difference in percentage points, uplift_relative the MM rate over the Cloud rate minus one.
-- "Today" is the setting mmetl.as_of when set (tests, reruns), else the current date.
-- One pass over the facts (both products as filtered sums), so a filter on waba_id reaches them.
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d),
per_template AS (
    SELECT f.waba_id, f.template_id,
           sum(f.delivered) FILTER (WHERE f.product = 'mm_api') AS mm_delivered,
           sum(f.read) FILTER (WHERE f.product = 'mm_api') AS mm_read,
           sum(f.delivered) FILTER (WHERE f.product = 'cloud_api') AS cloud_delivered,
           sum(f.read) FILTER (WHERE f.product = 'cloud_api') AS cloud_read
    FROM mm.fact_template_daily f, asof
    WHERE f.day > asof.d - 30 AND f.day <= asof.d AND f.product IN ('mm_api', 'cloud_api')
    GROUP BY f.waba_id, f.template_id
)
SELECT m.waba_id, m.template_id, t.name AS template_name,
       m.mm_delivered, m.cloud_delivered,
       round(100.0 * m.mm_read / m.mm_delivered, 2) AS mm_read_rate_pct,
       round(100.0 * m.cloud_read / m.cloud_delivered, 2) AS cloud_read_rate_pct,
       round(100.0 * m.mm_read / m.mm_delivered - 100.0 * m.cloud_read / m.cloud_delivered, 2) AS uplift_points,
       round(100.0 * ((m.mm_read::numeric / m.mm_delivered) / nullif(m.cloud_read::numeric / m.cloud_delivered, 0) - 1), 1) AS uplift_relative_pct
FROM per_template m
LEFT JOIN mm.dim_template t ON t.waba_id = m.waba_id AND t.template_id = m.template_id AND t.is_current
WHERE m.mm_delivered > 0 AND m.cloud_delivered > 0
ORDER BY uplift_points DESC, m.waba_id, m.template_id;
