-- title: Templates furthest below their read-rate benchmark (latest day)
SELECT b.waba_id, b.template_id, left(coalesce(t.name, ''), 28) AS template, b.cohort,
       b.cohort_businesses AS businesses, round(100 * b.read_rate, 1) AS "read %",
       round(100 * b.p75_read_rate::numeric, 1) AS "p75 %", round(100 * b.read_rate_percent_rank::numeric) AS "pct rank"
FROM mm.fact_benchmarks b
LEFT JOIN mm.dim_template t ON t.waba_id = b.waba_id AND t.template_id = b.template_id AND t.is_current
WHERE b.day = (SELECT max(day) FROM mm.fact_benchmarks) AND b.p75_read_rate IS NOT NULL
ORDER BY b.read_rate - b.p75_read_rate::numeric LIMIT 5;
