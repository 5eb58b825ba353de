-- MM API vs Cloud API read rate uplift, last 30 days, per template sent through both products.
-- Read rate = read / delivered from template_analytics (mm.fact_template_daily). uplift_points is
-- the difference in percentage points, uplift_relative the MM rate over the Cloud rate minus one.
-- "Today" is the setting mmetl.as_of when set (tests, reruns), else the current date.
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d),
per_product AS (
    SELECT f.waba_id, f.template_id, f.product, sum(f.delivered) AS delivered, sum(f.read) AS read
    FROM mm.fact_template_daily f, asof
    WHERE f.day > asof.d - 30 AND f.day <= asof.d AND f.product IN ('mm_api', 'cloud_api')
    GROUP BY f.waba_id, f.template_id, f.product
    HAVING sum(f.delivered) > 0
)
SELECT m.waba_id, m.template_id, t.name AS template_name,
       m.delivered AS mm_delivered, c.delivered AS cloud_delivered,
       round(100.0 * m.read / m.delivered, 2) AS mm_read_rate_pct,
       round(100.0 * c.read / c.delivered, 2) AS cloud_read_rate_pct,
       round(100.0 * m.read / m.delivered - 100.0 * c.read / c.delivered, 2) AS uplift_points,
       round(100.0 * ((m.read::numeric / m.delivered) / nullif(c.read::numeric / c.delivered, 0) - 1), 1) AS uplift_relative_pct
FROM per_product m
JOIN per_product c ON c.waba_id = m.waba_id AND c.template_id = m.template_id AND c.product = 'cloud_api'
LEFT JOIN mm.dim_template t ON t.waba_id = m.waba_id AND t.template_id = m.template_id AND t.is_current
WHERE m.product = 'mm_api'
ORDER BY uplift_points DESC, m.waba_id, m.template_id;
