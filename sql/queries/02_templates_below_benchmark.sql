-- Templates below benchmark: each template's latest benchmark row (mm.fact_benchmarks) whose
-- read or click rate is under the 75th percentile of its cohort, with the gap in percentage
-- points. Rows whose cohort is none (no comparable businesses) are left out: there is no
-- benchmark to be below.
WITH latest AS (
    SELECT DISTINCT ON (waba_id, template_id) *
    FROM mm.fact_benchmarks
    ORDER BY waba_id, template_id, day DESC
)
SELECT l.waba_id, l.template_id, t.name AS template_name, l.day, l.cohort, l.cohort_businesses,
       round(100 * l.read_rate, 2) AS read_rate_pct, round(100 * l.p75_read_rate::numeric, 2) AS p75_read_rate_pct,
       round(100 * (l.read_rate - l.p75_read_rate::numeric), 2) AS read_gap_points,
       round(100 * l.click_rate, 2) AS click_rate_pct, round(100 * l.p75_click_rate::numeric, 2) AS p75_click_rate_pct,
       round(100 * (l.click_rate - l.p75_click_rate::numeric), 2) AS click_gap_points,
       round(100 * l.read_rate_percent_rank::numeric) AS read_percentile
FROM latest l
LEFT JOIN mm.dim_template t ON t.waba_id = l.waba_id AND t.template_id = l.template_id AND t.is_current
WHERE l.cohort <> 'none'
  AND (l.read_rate < l.p75_read_rate OR l.click_rate < l.p75_click_rate)
ORDER BY read_gap_points, l.waba_id, l.template_id;
