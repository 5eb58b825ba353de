-- mm.fact_benchmarks for the days whose trailing window touches [mmetl.from, mmetl.to]: days
-- mmetl.from … mmetl.to + window_days - 1 (capped at the last day with API data).
--
-- For each template and day on which the template has API data (mm.fact_template_daily):
--   rates   read_rate = read / delivered, click_rate = url_clicks / delivered, over the window
--           [day - window_days + 1, day], all products together;
--   cohort  templates of OTHER WABAs with delivered messages in their window ending the same day,
--           the same template category (current catalog) and industry, in the business's
--           country — or its region when the country cohort has fewer than min_cohort_businesses
--           distinct WABAs; when the region has too few as well, cohort = none and no p75.
--   p75     percentile_cont(0.75) of the cohort's rates;
--   rank    hypothetical-set percent_rank of the template's rate within the cohort plus itself.
-- Settings: mmetl.benchmark_window_days (default 30), mmetl.min_cohort_businesses (default 5).

CREATE TEMP TABLE bm_params ON COMMIT DROP AS
SELECT current_setting('mmetl.from')::date AS d_from,
       current_setting('mmetl.to')::date + (w.window_days - 1) AS d_clear_to,
       least(current_setting('mmetl.to')::date + (w.window_days - 1),
             (SELECT max(day) FROM mm.fact_template_daily)) AS d_to,
       w.window_days,
       coalesce(nullif(current_setting('mmetl.min_cohort_businesses', true), '')::integer, 5) AS min_businesses
FROM (SELECT coalesce(nullif(current_setting('mmetl.benchmark_window_days', true), '')::integer, 30) AS window_days) w;

DELETE FROM mm.fact_benchmarks b USING bm_params p WHERE b.day BETWEEN p.d_from AND p.d_clear_to;

-- Window totals per template for every day of the range (peers count even on days they did not
-- send): daily totals plus a zero row per template and day, summed over a RANGE window of
-- window_days — linear in templates × days, where a day × window join is quadratic.
CREATE TEMP TABLE bm_window ON COMMIT DROP AS
WITH daily AS (
    SELECT f.waba_id, f.template_id, f.day, sum(f.delivered) AS delivered, sum(f.read) AS read, sum(f.url_clicks) AS url_clicks
    FROM mm.fact_template_daily f, bm_params p
    WHERE f.day BETWEEN p.d_from - (p.window_days - 1) AND p.d_to
    GROUP BY f.waba_id, f.template_id, f.day
), grid AS (
    SELECT t.waba_id, t.template_id, g.d::date AS day, 0::numeric AS delivered, 0::numeric AS read, 0::numeric AS url_clicks
    FROM (SELECT DISTINCT waba_id, template_id FROM daily) t, bm_params p,
         generate_series(p.d_from, p.d_to, interval '1 day') AS g(d)
), summed AS (
    SELECT waba_id, template_id, day,
           sum(delivered) OVER w AS delivered, sum(read) OVER w AS read, sum(url_clicks) OVER w AS url_clicks
    FROM (SELECT * FROM daily UNION ALL SELECT * FROM grid) u
    WINDOW w AS (PARTITION BY waba_id, template_id ORDER BY day
                 RANGE BETWEEN (coalesce(nullif(current_setting('mmetl.benchmark_window_days', true), '')::integer, 30) - 1)
                               * interval '1 day' PRECEDING AND CURRENT ROW)
)
SELECT DISTINCT ON (s.day, s.waba_id, s.template_id) s.day, s.waba_id, s.template_id, s.delivered, s.read, s.url_clicks
FROM summed s, bm_params p
WHERE s.day BETWEEN p.d_from AND p.d_to AND s.delivered > 0;

-- What makes templates comparable.
CREATE TEMP TABLE bm_template ON COMMIT DROP AS
SELECT t.waba_id, t.template_id,
       nullif(upper(dt.category), '') AS category,
       lower(coalesce(nullif(btrim(w.industry), ''), pv.vertical)) AS industry,
       nullif(w.country, '') AS country,
       coalesce(nullif(w.region, ''), c.region) AS region
FROM (SELECT DISTINCT waba_id, template_id FROM bm_window) t
LEFT JOIN mm.dim_template dt ON dt.waba_id = t.waba_id AND dt.template_id = t.template_id AND dt.is_current
LEFT JOIN mm.dim_waba w ON w.waba_id = t.waba_id
LEFT JOIN mm.dim_country c ON c.country_code = nullif(w.country, '')
LEFT JOIN LATERAL (
    SELECT mode() WITHIN GROUP (ORDER BY btrim(p.vertical)) AS vertical
    FROM mm.dim_phone_number p WHERE p.waba_id = t.waba_id AND btrim(p.vertical) <> ''
) pv ON true;

CREATE TEMP TABLE bm_rated ON COMMIT DROP AS
SELECT x.day, x.waba_id, x.template_id, x.delivered, x.read, x.url_clicks,
       x.read::numeric / x.delivered AS read_rate, x.url_clicks::numeric / x.delivered AS click_rate,
       t.category, t.industry, t.country, t.region
FROM bm_window x JOIN bm_template t USING (waba_id, template_id);

CREATE INDEX ON bm_rated (day, category, industry, country);
CREATE INDEX ON bm_rated (day, category, industry, region);
ANALYZE bm_rated;

-- Ranks among other businesses' templates by window functions: rows of the cohort below x =
-- rows of the whole group below x minus rows of the template's own WABA below x
-- (rank() − 1 counts the rows strictly below). Hypothetical-set percent_rank = below / cohort size.
CREATE TEMP TABLE bm_ranked ON COMMIT DROP AS
SELECT r.day, r.waba_id, r.template_id,
       CASE WHEN r.country IS NOT NULL THEN count(*) OVER c - count(*) OVER cw END AS n_country,
       CASE WHEN r.country IS NOT NULL THEN rank() OVER (c ORDER BY r.read_rate) - rank() OVER (cw ORDER BY r.read_rate) END AS below_read_country,
       CASE WHEN r.country IS NOT NULL THEN rank() OVER (c ORDER BY r.click_rate) - rank() OVER (cw ORDER BY r.click_rate) END AS below_click_country,
       CASE WHEN r.region IS NOT NULL THEN count(*) OVER g - count(*) OVER gw END AS n_region,
       CASE WHEN r.region IS NOT NULL THEN rank() OVER (g ORDER BY r.read_rate) - rank() OVER (gw ORDER BY r.read_rate) END AS below_read_region,
       CASE WHEN r.region IS NOT NULL THEN rank() OVER (g ORDER BY r.click_rate) - rank() OVER (gw ORDER BY r.click_rate) END AS below_click_region
FROM bm_rated r
WHERE r.category IS NOT NULL AND r.industry IS NOT NULL
WINDOW c AS (PARTITION BY r.day, r.category, r.industry, r.country),
       cw AS (PARTITION BY r.day, r.category, r.industry, r.country, r.waba_id),
       g AS (PARTITION BY r.day, r.category, r.industry, r.region),
       gw AS (PARTITION BY r.day, r.category, r.industry, r.region, r.waba_id);

-- Cohort size and p75 once per (day, category, industry, geography, WABA): every template of a
-- WABA shares its cohort (the other WABAs' templates).
CREATE TEMP TABLE bm_cohort ON COMMIT DROP AS
SELECT 'country' AS level, k.day, k.category, k.industry, k.geo, k.waba_id, x.*
FROM (SELECT DISTINCT day, category, industry, country AS geo, waba_id FROM bm_rated
      WHERE category IS NOT NULL AND industry IS NOT NULL AND country IS NOT NULL) k
CROSS JOIN LATERAL (
    SELECT count(DISTINCT o.waba_id)::integer AS businesses, count(*)::integer AS templates,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY o.read_rate) AS p75_read,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY o.click_rate) AS p75_click
    FROM bm_rated o
    WHERE o.day = k.day AND o.category = k.category AND o.industry = k.industry AND o.country = k.geo AND o.waba_id <> k.waba_id
    HAVING count(*) > 0
) x
UNION ALL
SELECT 'region', k.day, k.category, k.industry, k.geo, k.waba_id, x.*
FROM (SELECT DISTINCT day, category, industry, region AS geo, waba_id FROM bm_rated
      WHERE category IS NOT NULL AND industry IS NOT NULL AND region IS NOT NULL) k
CROSS JOIN LATERAL (
    SELECT count(DISTINCT o.waba_id)::integer, count(*)::integer,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY o.read_rate),
           percentile_cont(0.75) WITHIN GROUP (ORDER BY o.click_rate)
    FROM bm_rated o
    WHERE o.day = k.day AND o.category = k.category AND o.industry = k.industry AND o.region = k.geo AND o.waba_id <> k.waba_id
    HAVING count(*) > 0
) x;
CREATE INDEX ON bm_cohort (day, waba_id, category, industry, geo, level);

INSERT INTO mm.fact_benchmarks (waba_id, template_id, day, window_days, window_start, template_category, industry,
    country, region, delivered, read, url_clicks, read_rate, click_rate, cohort, cohort_note, cohort_businesses,
    cohort_templates, p75_read_rate, p75_click_rate, read_rate_percent_rank, click_rate_percent_rank, run_id)
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
       CASE pick.cohort WHEN 'country' THEN k.below_read_country::float8 / nullif(k.n_country, 0)
                        WHEN 'region' THEN k.below_read_region::float8 / nullif(k.n_region, 0) END,
       CASE pick.cohort WHEN 'country' THEN k.below_click_country::float8 / nullif(k.n_country, 0)
                        WHEN 'region' THEN k.below_click_region::float8 / nullif(k.n_region, 0) END,
       nullif(current_setting('mmetl.run_id', true), '')::bigint
FROM bm_rated s
CROSS JOIN bm_params p
LEFT JOIN bm_ranked k ON k.day = s.day AND k.waba_id = s.waba_id AND k.template_id = s.template_id
LEFT JOIN bm_cohort cc ON cc.level = 'country' AND cc.day = s.day AND cc.waba_id = s.waba_id AND cc.category = s.category
                      AND cc.industry = s.industry AND cc.geo = s.country
LEFT JOIN bm_cohort rc ON rc.level = 'region' AND rc.day = s.day AND rc.waba_id = s.waba_id AND rc.category = s.category
                      AND rc.industry = s.industry AND rc.geo = s.region
CROSS JOIN LATERAL (
    SELECT CASE WHEN cc.businesses >= p.min_businesses THEN 'country'
                WHEN rc.businesses >= p.min_businesses THEN 'region'
                ELSE 'none' END AS cohort
) pick
-- Rows only for days on which the template itself has API data.
WHERE EXISTS (SELECT 1 FROM mm.fact_template_daily f
              WHERE f.waba_id = s.waba_id AND f.template_id = s.template_id AND f.day = s.day);
