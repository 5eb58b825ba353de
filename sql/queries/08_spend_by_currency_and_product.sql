-- Spend by currency and product, per month: billed cost and volume from pricing_analytics
-- (mm.v_pricing: one grain per day, DAILY buckets) by pricing product (mm_api = MARKETING_LITE, cloud_api =
-- MARKETING, other = utility, authentication, service…), never adding different currencies.
-- Cost is NULL where Meta returns none (partner credit lines): cost_missing_rows counts them.
SELECT date_trunc('month', p.day)::date AS month, p.currency, p.product,
       sum(p.volume) AS volume, sum(p.cost) AS cost,
       round(sum(p.cost) / nullif(sum(p.volume) FILTER (WHERE p.cost IS NOT NULL), 0), 4) AS cost_per_message,
       count(*) FILTER (WHERE p.cost IS NULL) AS cost_missing_rows,
       count(DISTINCT p.waba_id) AS wabas
FROM mm.v_pricing p
WHERE upper(p.granularity) = 'DAILY'
GROUP BY 1, 2, 3
ORDER BY 1 DESC, 2, 3;
