-- Benchmarks as peer percentiles (sql/transforms/30_fact_benchmarks.sql, docs/analysts.md):
-- MM API only, a minimum of deliveries for a template to be a peer, one value per business, click
-- rates only where Meta measures clicks. The table keeps its column names (the transform and the
-- demo read them); analysts read mm.v_template_peer_benchmark, whose names say these are
-- percentiles over this warehouse's businesses, not Meta's benchmark numbers.

-- The leave-one-out percentile the transform reads once per business from its cohort's sorted
-- values: percentile_cont(fraction) of `sorted` without its element at 1-based position `skip`
-- (0 = leave nothing out); NULL when nothing is left. O(1): two array reads.
CREATE FUNCTION etl.percentile_cont_without(sorted double precision[], skip integer, fraction double precision)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    n integer := coalesce(cardinality(sorted), 0) - (skip > 0)::integer;  -- elements left
    p double precision;
    lo integer;
    hi integer;
BEGIN
    IF n < 1 THEN
        RETURN NULL;
    END IF;
    p := fraction * (n - 1);                 -- 0-based position among what is left
    lo := floor(p)::integer;
    hi := least(lo + 1, n - 1);
    -- 1-based array index of left-over position j: j + 1, one further from the skipped element on.
    lo := lo + 1 + (skip > 0 AND lo + 1 >= skip)::integer;
    hi := hi + 1 + (skip > 0 AND hi + 1 >= skip)::integer;
    RETURN (1 - (p - floor(p))) * sorted[lo] + (p - floor(p)) * sorted[hi];
END
$$;
COMMENT ON FUNCTION etl.percentile_cont_without(double precision[], integer, double precision) IS 'percentile_cont(fraction) of an ascending array without its element at 1-based position skip (0: none left out); NULL when no element remains.';

ALTER TABLE mm.fact_benchmarks
    ALTER COLUMN click_rate DROP NOT NULL,
    ADD COLUMN is_peer boolean NOT NULL DEFAULT true,
    ADD COLUMN min_delivered integer;

COMMENT ON TABLE mm.fact_benchmarks IS 'Peer percentiles per template and WABA-local day on which the template had MM API data: its read and click rates over the trailing window (MM API only), compared with the 75th percentile (percentile_cont(0.75)) of the rates of OTHER businesses of this warehouse — one value per business — with the same template category and industry in the business''s country, falling back to its region when the country has fewer than min_cohort_businesses such businesses. Not Meta''s benchmark numbers. When no cohort qualifies the row says cohort = none and has no p75 rather than an invented number. Analysts: mm.v_template_peer_benchmark.';
COMMENT ON COLUMN mm.fact_benchmarks.delivered IS 'MM API messages delivered in the window (mm.fact_template_daily).';
COMMENT ON COLUMN mm.fact_benchmarks.read IS 'MM API messages read in the window.';
COMMENT ON COLUMN mm.fact_benchmarks.url_clicks IS 'MM API URL button clicks in the window.';
COMMENT ON COLUMN mm.fact_benchmarks.click_rate IS 'url_clicks / delivered over the window, a fraction; NULL where Meta measures no MM API clicks for the business (mm.v_waba.mm_metrics_measured).';
COMMENT ON COLUMN mm.fact_benchmarks.country IS 'Business country (mm.v_waba.business_country: pipeline, else its phone numbers'' calling codes); NULL when unknown.';
COMMENT ON COLUMN mm.fact_benchmarks.cohort_businesses IS 'Other businesses (WABAs) in the cohort used, each with at least one peer template; for none, in the largest candidate examined (the region, else the country), which was too small.';
COMMENT ON COLUMN mm.fact_benchmarks.cohort_templates IS 'Peer templates (at least min_delivered deliveries in the window) of those businesses.';
COMMENT ON COLUMN mm.fact_benchmarks.p75_read_rate IS '75th percentile (percentile_cont) of the cohort businesses'' read rates (each business: its peer templates'' reads ÷ deliveries); NULL when cohort = none.';
COMMENT ON COLUMN mm.fact_benchmarks.p75_click_rate IS 'As p75_read_rate for clicks, over the businesses where clicks are measured; NULL when cohort = none or the template''s clicks are not measured.';
COMMENT ON COLUMN mm.fact_benchmarks.read_rate_percent_rank IS 'Share of the cohort''s businesses whose read rate is below the template''s (0…1); NULL when cohort = none.';
COMMENT ON COLUMN mm.fact_benchmarks.click_rate_percent_rank IS 'As read_rate_percent_rank for the click rate, among businesses where clicks are measured; NULL when not measured.';
COMMENT ON COLUMN mm.fact_benchmarks.is_peer IS 'The template had at least min_delivered deliveries in the window, so it counts in other businesses'' cohorts.';
COMMENT ON COLUMN mm.fact_benchmarks.min_delivered IS 'Deliveries in the window a template needs to be a peer (setting mmetl.benchmark_min_delivered, default 100).';

CREATE VIEW mm.v_template_peer_benchmark AS
SELECT b.waba_id, b.template_id, t.name AS template_name, b.day, b.window_start, b.window_days,
       b.template_category, b.industry, b.country AS business_country, b.region AS business_region,
       b.delivered AS mm_delivered, b.read AS mm_read, b.url_clicks AS mm_url_clicks,
       b.read_rate, b.click_rate, b.is_peer,
       b.cohort AS peer_cohort, b.cohort_note AS peer_cohort_note,
       b.cohort_businesses AS peer_businesses, b.cohort_templates AS peer_templates,
       b.p75_read_rate AS peer_p75_read_rate, b.p75_click_rate AS peer_p75_click_rate,
       b.read_rate - b.p75_read_rate::numeric AS read_rate_vs_peer_p75,
       b.click_rate - b.p75_click_rate::numeric AS click_rate_vs_peer_p75,
       b.read_rate_percent_rank AS read_rate_peer_percent_rank,
       b.click_rate_percent_rank AS click_rate_peer_percent_rank,
       b.min_delivered
FROM mm.fact_benchmarks b
LEFT JOIN mm.dim_template t ON t.waba_id = b.waba_id AND t.template_id = b.template_id AND t.is_current;

COMMENT ON VIEW mm.v_template_peer_benchmark IS 'Per template and WABA-local day (MM API): read and click rates over the trailing window beside the 75th percentile of OTHER businesses of this warehouse in the same peer cohort (category × industry × business country, else region). Peer percentiles computed by mmetl (docs/analysts.md), not Meta''s benchmark numbers shown in WhatsApp Manager.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.template_id IS 'Template id.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.template_name IS 'Current template name.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.day IS 'Last day of the window (WABA-local).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.window_start IS 'First day of the window.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.window_days IS 'Window length in days.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.template_category IS 'Current template category (upper case); NULL when unknown.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.industry IS 'Business industry, lower case; NULL when unknown.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.business_country IS 'Business country (was fact_benchmarks.country).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.business_region IS 'Business region (was fact_benchmarks.region).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.mm_delivered IS 'MM API deliveries in the window (was delivered).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.mm_read IS 'MM API reads in the window (was read).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.mm_url_clicks IS 'MM API URL clicks in the window (was url_clicks).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.read_rate IS 'mm_read / mm_delivered.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.click_rate IS 'mm_url_clicks / mm_delivered; NULL where clicks are not measured.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.is_peer IS 'At least min_delivered deliveries: counts in other businesses'' cohorts.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.peer_cohort IS 'country:<ISO>, region:<region> or none (was cohort).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.peer_cohort_note IS 'Why there is no cohort (was cohort_note).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.peer_businesses IS 'Other businesses in the cohort (was cohort_businesses).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.peer_templates IS 'Their peer templates (was cohort_templates).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.peer_p75_read_rate IS '75th percentile of the peer businesses'' read rates (was p75_read_rate).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.peer_p75_click_rate IS '75th percentile of the peer businesses'' click rates where measured (was p75_click_rate).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.read_rate_vs_peer_p75 IS 'read_rate - peer_p75_read_rate (negative: below).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.click_rate_vs_peer_p75 IS 'click_rate - peer_p75_click_rate.';
COMMENT ON COLUMN mm.v_template_peer_benchmark.read_rate_peer_percent_rank IS 'Share of peer businesses below the template''s read rate (was read_rate_percent_rank).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.click_rate_peer_percent_rank IS 'Share of peer businesses below its click rate (was click_rate_percent_rank).';
COMMENT ON COLUMN mm.v_template_peer_benchmark.min_delivered IS 'Deliveries a template needed to be a peer.';

CREATE VIEW mm.v_template_peer_benchmark_latest AS
SELECT DISTINCT ON (waba_id, template_id) *
FROM mm.v_template_peer_benchmark
ORDER BY waba_id, template_id, day DESC;

COMMENT ON VIEW mm.v_template_peer_benchmark_latest IS 'Each template''s latest row of mm.v_template_peer_benchmark (same columns).';
