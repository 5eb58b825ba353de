-- mm.fact_benchmarks for the days whose trailing window touches [mmetl.from, mmetl.to]: days
-- mmetl.from … mmetl.to + window_days - 1 (capped at the last day with API data).
-- It reads only API facts and dimensions (no table another transform writes), and no other
-- transform reads mm.fact_benchmarks, so it runs on a connection of its own beside them:
-- mmetl: runs beside the other transforms
--
-- Peer percentiles over the businesses of THIS warehouse, modelled on Meta's description of its MM
-- API benchmarks but not Meta's numbers (docs/analysts.md lists every decision). For each template
-- and day on which the template has MM API data (mm.fact_template_daily, product mm_api):
--   rates   read_rate = read / delivered, click_rate = url_clicks / delivered, over the window
--           [day - window_days + 1, day], MM API only (benchmarks are an MM API feature);
--           click_rate is NULL where Meta measures no MM API clicks (mm.v_waba.mm_metrics_measured);
--   peers   templates with at least min_delivered deliveries in the window (a rate over 2
--           deliveries says nothing); a template below it still gets its own row (is_peer false);
--   business one value per business: its peer templates' reads (clicks) ÷ their deliveries, so a
--           business with 200 templates weighs as much as one with 5; clicks only from businesses
--           where clicks are measured;
--   cohort  OTHER businesses with the same template category (current catalog) and industry, in
--           the business's country — or its region when the country has fewer than
--           min_cohort_businesses of them; when the region has too few as well, cohort = none;
--   p75     percentile_cont(0.75) of the cohort's business values, leaving the template's own
--           business out: each cohort is sorted once and every business reads its leave-one-out
--           percentile from the sorted array (etl.percentile_cont_without), linear in businesses;
--   rank    the share of the cohort's businesses whose value is below the template's rate.
-- Settings: mmetl.benchmark_window_days (default 30), mmetl.min_cohort_businesses (default 5),
-- mmetl.benchmark_min_delivered (default 100).

-- The sorts below hold a few hundred bytes per template-day: in memory rather than spilled to disk.
SET LOCAL work_mem = '64MB';
-- The ANALYZEs of the temporary tables below sample 3,000 rows instead of 30,000: the plans need row
-- counts and distinct counts, not fine histograms (1.2 s of this transform on the bench's 125 k
-- template-days with the default sample, ≈ 0.1 s with this one).
SET LOCAL default_statistics_target = 10;

CREATE TEMP TABLE bm_params ON COMMIT DROP AS
SELECT current_setting('mmetl.from')::date AS d_from,
       current_setting('mmetl.to')::date + (w.window_days - 1) AS d_clear_to,
       least(current_setting('mmetl.to')::date + (w.window_days - 1),
             (SELECT max(f.day) FROM mm.fact_template_daily f
              WHERE f.product = 'mm_api' AND f.day >= current_setting('mmetl.from')::date
                AND f.day <= current_setting('mmetl.to')::date + (w.window_days - 1))) AS d_to,
       w.window_days,
       coalesce(nullif(current_setting('mmetl.min_cohort_businesses', true), '')::integer, 5) AS min_businesses,
       coalesce(nullif(current_setting('mmetl.benchmark_min_delivered', true), '')::integer, 100) AS min_delivered
FROM (SELECT coalesce(nullif(current_setting('mmetl.benchmark_window_days', true), '')::integer, 30) AS window_days) w;

ANALYZE bm_params;

DELETE FROM mm.fact_benchmarks b USING bm_params p WHERE b.day BETWEEN p.d_from AND p.d_clear_to;

-- Window totals per template for every day of the range (peers count even on days they did not
-- send): daily totals joined with a grid of every template and day (zeros where the template has no
-- data; a join, where a union of both grouped again spilled to disk), summed over a RANGE window of
-- window_days — linear in templates × days, where a day × window join is quadratic.
CREATE TEMP TABLE bm_window ON COMMIT DROP AS
WITH daily AS (
    SELECT f.waba_id, f.template_id, f.day, sum(f.delivered) AS delivered, sum(f.read) AS read, sum(f.url_clicks) AS url_clicks
    FROM mm.fact_template_daily f
    -- Scalar sub-queries (not a join with bm_params), so the range prunes partitions.
    WHERE f.day BETWEEN (SELECT d_from - (window_days - 1) FROM bm_params) AND (SELECT d_to FROM bm_params)
      AND f.product = 'mm_api'
    GROUP BY f.waba_id, f.template_id, f.day
), grid AS (
    SELECT t.waba_id, t.template_id, g.d::date AS day
    FROM (SELECT DISTINCT waba_id, template_id FROM daily) t, bm_params p,
         generate_series(p.d_from, p.d_to, interval '1 day') AS g(d)
), dense AS (
    -- One row per template and day; has_data: the template has MM API data that day.
    SELECT coalesce(d.waba_id, g.waba_id) AS waba_id, coalesce(d.template_id, g.template_id) AS template_id,
           coalesce(d.day, g.day) AS day, coalesce(d.delivered, 0) AS delivered, coalesce(d.read, 0) AS read,
           coalesce(d.url_clicks, 0) AS url_clicks, d.day IS NOT NULL AS has_data
    FROM daily d FULL JOIN grid g ON g.waba_id = d.waba_id AND g.template_id = d.template_id AND g.day = d.day
), summed AS (
    SELECT waba_id, template_id, day, has_data,
           sum(delivered) OVER w AS delivered, sum(read) OVER w AS read, sum(url_clicks) OVER w AS url_clicks
    FROM dense
    WINDOW w AS (PARTITION BY waba_id, template_id ORDER BY day
                 RANGE BETWEEN (coalesce(nullif(current_setting('mmetl.benchmark_window_days', true), '')::integer, 30) - 1)
                               * interval '1 day' PRECEDING AND CURRENT ROW)
)
SELECT s.day, s.waba_id, s.template_id, s.delivered, s.read, s.url_clicks, s.has_data
FROM summed s, bm_params p
WHERE s.day BETWEEN p.d_from AND p.d_to AND s.delivered > 0;

-- What makes templates comparable (mm.v_waba: business country, region, industry, measured).
CREATE TEMP TABLE bm_template ON COMMIT DROP AS
SELECT t.waba_id, t.template_id,
       nullif(upper(dt.category), '') AS category,
       w.industry, w.business_country AS country, w.business_region AS region,
       coalesce(w.mm_metrics_measured, true) AS clicks_measured
FROM (SELECT DISTINCT waba_id, template_id FROM bm_window) t
LEFT JOIN mm.dim_template dt ON dt.waba_id = t.waba_id AND dt.template_id = t.template_id AND dt.is_current
LEFT JOIN mm.v_waba w ON w.waba_id = t.waba_id;

CREATE TEMP TABLE bm_rated ON COMMIT DROP AS
SELECT x.day, x.waba_id, x.template_id, x.delivered, x.read, x.url_clicks, x.has_data,
       x.read::numeric / x.delivered AS read_rate,
       CASE WHEN t.clicks_measured THEN x.url_clicks::numeric / x.delivered END AS click_rate,
       x.delivered >= p.min_delivered AS is_peer, t.clicks_measured,
       t.category, t.industry, t.country, t.region
FROM bm_window x JOIN bm_template t USING (waba_id, template_id) CROSS JOIN bm_params p;
ANALYZE bm_rated;

-- Candidate cohorts of every comparable template (its country and its region), numbered: the
-- steps below partition, sort and join on that one integer. The cohorts (a few hundred) are numbered
-- apart and hash-joined to the members; numbering them with dense_rank() over the members sorted
-- whole took ≈ 1.2 s of the bench's 250 k members, as did the merge join the planner picks here.
SET LOCAL enable_mergejoin = off;
CREATE TEMP TABLE bm_member ON COMMIT DROP AS
WITH ids AS (
    SELECT row_number() OVER () AS cohort_id, k.* FROM (
        SELECT DISTINCT 'country' AS level, day, category, industry, country AS geo FROM bm_rated
        WHERE category IS NOT NULL AND industry IS NOT NULL AND country IS NOT NULL
        UNION ALL
        SELECT DISTINCT 'region', day, category, industry, region FROM bm_rated
        WHERE category IS NOT NULL AND industry IS NOT NULL AND region IS NOT NULL
    ) k
)
SELECT i.cohort_id, c.*
FROM (
    SELECT 'country' AS level, r.country AS geo, r.* FROM bm_rated r
    WHERE r.category IS NOT NULL AND r.industry IS NOT NULL AND r.country IS NOT NULL
    UNION ALL
    SELECT 'region', r.region, r.* FROM bm_rated r
    WHERE r.category IS NOT NULL AND r.industry IS NOT NULL AND r.region IS NOT NULL
) c
JOIN ids i ON i.level = c.level AND i.day = c.day AND i.category = c.category AND i.industry = c.industry AND i.geo = c.geo;

-- One value per business and cohort, from its peer templates, with its 1-based position in the
-- cohort's order (row_number: ties in any order, which does not change a percentile).
SET LOCAL enable_mergejoin TO DEFAULT;
CREATE TEMP TABLE bm_business ON COMMIT DROP AS
SELECT b.*,
       row_number() OVER (PARTITION BY cohort_id ORDER BY b.read_rate) AS pos_read,
       CASE WHEN b.click_rate IS NOT NULL
            THEN row_number() OVER (PARTITION BY cohort_id, b.click_rate IS NULL ORDER BY b.click_rate) END AS pos_click
FROM (
    SELECT cohort_id, waba_id, count(*)::integer AS templates,
           sum(read)::numeric / sum(delivered) AS read_rate,
           CASE WHEN bool_and(clicks_measured) THEN sum(url_clicks)::numeric / sum(delivered) END AS click_rate
    FROM bm_member
    WHERE is_peer
    GROUP BY cohort_id, waba_id
) b;

-- Each cohort sorted once.
CREATE TEMP TABLE bm_sorted ON COMMIT DROP AS
SELECT cohort_id, count(*)::integer AS businesses, sum(templates)::integer AS templates,
       array_agg(read_rate::float8 ORDER BY pos_read) AS reads,
       coalesce(array_agg(click_rate::float8 ORDER BY pos_click) FILTER (WHERE click_rate IS NOT NULL), '{}') AS clicks
FROM bm_business
GROUP BY cohort_id;
ANALYZE bm_member;
ANALYZE bm_business;
ANALYZE bm_sorted;

-- Per business and candidate cohort: the cohort without the business itself (its leave-one-out
-- percentiles read from the sorted values; a business without peer templates leaves nothing out).
CREATE TEMP TABLE bm_own ON COMMIT DROP AS
SELECT k.cohort_id, k.waba_id,
       s.businesses - (own.waba_id IS NOT NULL)::integer AS businesses,
       s.templates - coalesce(own.templates, 0) AS templates,
       cardinality(s.clicks) - (own.pos_click IS NOT NULL)::integer AS click_businesses,
       etl.percentile_cont_without(s.reads, coalesce(own.pos_read, 0)::integer, 0.75) AS p75_read,
       etl.percentile_cont_without(s.clicks, coalesce(own.pos_click, 0)::integer, 0.75) AS p75_click,
       own.read_rate AS own_read, own.click_rate AS own_click
FROM (SELECT DISTINCT cohort_id, waba_id FROM bm_member) k
JOIN bm_sorted s USING (cohort_id)
LEFT JOIN bm_business own USING (cohort_id, waba_id);
ANALYZE bm_own;

-- Businesses below each template's rate: the cohort's businesses and the templates in one sort
-- per cohort (running count of businesses up to the rate, minus the businesses tied with it),
-- less the template's own business when it is below.
CREATE TEMP TABLE bm_cohort ON COMMIT DROP AS
WITH probes AS (
    SELECT cohort_id, waba_id, NULL::text AS template_id, NULL::date AS day, NULL::text AS level,
           read_rate, click_rate, 1 AS biz
    FROM bm_business
    UNION ALL
    SELECT cohort_id, waba_id, template_id, day, level, read_rate, click_rate, 0
    FROM bm_member
    WHERE has_data  -- a template gets a row only on days it has data; the others count as businesses above
), counted AS (
    SELECT cohort_id, waba_id, template_id, day, level, read_rate, click_rate,
           sum(biz) OVER (PARTITION BY cohort_id ORDER BY read_rate)
             - sum(biz) OVER (PARTITION BY cohort_id, read_rate) AS below_read,
           sum(biz) FILTER (WHERE click_rate IS NOT NULL) OVER (PARTITION BY cohort_id ORDER BY click_rate)
             - sum(biz) FILTER (WHERE click_rate IS NOT NULL) OVER (PARTITION BY cohort_id, click_rate) AS below_click
    FROM probes
)
SELECT c.level, c.day, c.waba_id, c.template_id, o.businesses, o.templates, o.p75_read,
       CASE WHEN c.click_rate IS NOT NULL THEN o.p75_click END AS p75_click,
       (c.below_read - coalesce((o.own_read < c.read_rate)::integer, 0))::float8 / nullif(o.businesses, 0) AS rank_read,
       CASE WHEN c.click_rate IS NOT NULL
            THEN (c.below_click - coalesce((o.own_click < c.click_rate)::integer, 0))::float8 / nullif(o.click_businesses, 0) END AS rank_click
FROM counted c
JOIN bm_own o USING (cohort_id, waba_id)
WHERE c.template_id IS NOT NULL;
ANALYZE bm_cohort;

INSERT INTO mm.fact_benchmarks (waba_id, template_id, day, window_days, window_start, template_category, industry,
    country, region, delivered, read, url_clicks, read_rate, click_rate, cohort, cohort_note, cohort_businesses,
    cohort_templates, p75_read_rate, p75_click_rate, read_rate_percent_rank, click_rate_percent_rank,
    is_peer, min_delivered, run_id)
SELECT s.waba_id, s.template_id, s.day, p.window_days, s.day - (p.window_days - 1), s.category, s.industry,
       s.country, s.region, s.delivered, s.read, s.url_clicks, s.read_rate, s.click_rate,
       CASE pick.cohort WHEN 'country' THEN 'country:' || s.country WHEN 'region' THEN 'region:' || s.region ELSE 'none' END,
       CASE WHEN pick.cohort <> 'none' THEN NULL
            WHEN s.category IS NULL THEN 'template category unknown (not in mm.dim_template)'
            WHEN s.industry IS NULL THEN 'industry unknown (no mm.dim_waba.industry, no phone number vertical)'
            WHEN s.country IS NULL AND s.region IS NULL THEN 'business country and region unknown'
            ELSE 'fewer than ' || p.min_businesses || ' other businesses in the country and in the region' END,
       CASE pick.cohort WHEN 'country' THEN cc.businesses WHEN 'region' THEN rc.businesses
            ELSE coalesce(rc.businesses, cc.businesses, 0) END,
       CASE pick.cohort WHEN 'country' THEN cc.templates WHEN 'region' THEN rc.templates
            ELSE coalesce(rc.templates, cc.templates, 0) END,
       CASE pick.cohort WHEN 'country' THEN cc.p75_read WHEN 'region' THEN rc.p75_read END,
       CASE pick.cohort WHEN 'country' THEN cc.p75_click WHEN 'region' THEN rc.p75_click END,
       CASE pick.cohort WHEN 'country' THEN cc.rank_read WHEN 'region' THEN rc.rank_read END,
       CASE pick.cohort WHEN 'country' THEN cc.rank_click WHEN 'region' THEN rc.rank_click END,
       s.is_peer, p.min_delivered,
       nullif(current_setting('mmetl.run_id', true), '')::bigint
FROM bm_rated s
CROSS JOIN bm_params p
LEFT JOIN bm_cohort cc ON cc.level = 'country' AND cc.day = s.day AND cc.waba_id = s.waba_id AND cc.template_id = s.template_id
LEFT JOIN bm_cohort rc ON rc.level = 'region' AND rc.day = s.day AND rc.waba_id = s.waba_id AND rc.template_id = s.template_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN cc.businesses >= p.min_businesses THEN 'country'
                WHEN rc.businesses >= p.min_businesses THEN 'region'
                ELSE 'none' END AS cohort
) pick
-- Rows only for days on which the template itself has MM API data.
WHERE s.has_data;
