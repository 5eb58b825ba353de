-- Template benchmarks, computed the way Meta describes its own (MM API "Calculating benchmarks"):
-- a template's read and click rates over the trailing window compared with the 75th percentile
-- of similar templates of OTHER businesses — same template category and industry, in the
-- business's country, or its region when the country cohort is too small.
-- Rebuilt by sql/transforms/30_fact_benchmarks.sql from mm.fact_template_daily.

CREATE TABLE mm.fact_benchmarks (
    waba_id                 text NOT NULL,
    template_id             text NOT NULL,
    day                     date NOT NULL,
    window_days             integer NOT NULL,
    window_start            date NOT NULL,
    template_category       text,
    industry                text,
    country                 text,
    region                  text,
    delivered               bigint NOT NULL,
    read                    bigint NOT NULL,
    url_clicks              bigint NOT NULL,
    read_rate               numeric NOT NULL,
    click_rate              numeric NOT NULL,
    cohort                  text NOT NULL,
    cohort_note             text,
    cohort_businesses       integer NOT NULL,
    cohort_templates        integer NOT NULL,
    p75_read_rate           double precision,
    p75_click_rate          double precision,
    read_rate_percent_rank  double precision,
    click_rate_percent_rank double precision,
    run_id                  bigint,
    computed_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (waba_id, template_id, day)
);
CREATE INDEX fact_benchmarks_day_idx ON mm.fact_benchmarks (day);

COMMENT ON TABLE mm.fact_benchmarks IS 'Per template and WABA-local day on which the template had API data: its read and click rates over the trailing window (all products together), compared with the 75th percentile (percentile_cont(0.75)) of the same rates across templates of OTHER WABAs with the same template category and industry in the business''s country, falling back to its region when the country cohort has fewer than min_cohort_businesses businesses. When neither qualifies the row says cohort = none and has no p75 rather than an invented number.';
COMMENT ON COLUMN mm.fact_benchmarks.waba_id IS 'The template''s WABA (the business).';
COMMENT ON COLUMN mm.fact_benchmarks.template_id IS 'The template.';
COMMENT ON COLUMN mm.fact_benchmarks.day IS 'Last day of the window (WABA-local, as in mm.fact_template_daily).';
COMMENT ON COLUMN mm.fact_benchmarks.window_days IS 'Window length in days (setting mmetl.benchmark_window_days / pipeline benchmarks.window_days, default 30).';
COMMENT ON COLUMN mm.fact_benchmarks.window_start IS 'First day of the window: day - window_days + 1.';
COMMENT ON COLUMN mm.fact_benchmarks.template_category IS 'Current category of the template (mm.dim_template, upper case); NULL when the catalog does not know the template (then no cohort).';
COMMENT ON COLUMN mm.fact_benchmarks.industry IS 'Industry of the business, lower case: mm.dim_waba.industry (pipeline), else the most common business-profile vertical of its phone numbers (mm.dim_phone_number.vertical); NULL when neither is known (then no cohort).';
COMMENT ON COLUMN mm.fact_benchmarks.country IS 'Business country (mm.dim_waba.country); NULL when unknown.';
COMMENT ON COLUMN mm.fact_benchmarks.region IS 'Business region: mm.dim_waba.region (pipeline), else the region of its country in mm.dim_country.';
COMMENT ON COLUMN mm.fact_benchmarks.delivered IS 'Messages delivered in the window (mm.fact_template_daily, all products).';
COMMENT ON COLUMN mm.fact_benchmarks.read IS 'Messages read in the window.';
COMMENT ON COLUMN mm.fact_benchmarks.url_clicks IS 'URL button clicks in the window.';
COMMENT ON COLUMN mm.fact_benchmarks.read_rate IS 'read / delivered over the window, a fraction (0.7 = 70 %).';
COMMENT ON COLUMN mm.fact_benchmarks.click_rate IS 'url_clicks / delivered over the window, a fraction.';
COMMENT ON COLUMN mm.fact_benchmarks.cohort IS 'Cohort used: country:<ISO code>, region:<region>, or none.';
COMMENT ON COLUMN mm.fact_benchmarks.cohort_note IS 'Why the cohort is none (no category, no industry, no country or region, too few businesses); NULL otherwise.';
COMMENT ON COLUMN mm.fact_benchmarks.cohort_businesses IS 'Distinct other WABAs in the cohort used; for none, in the largest candidate examined (the region, else the country), which was too small.';
COMMENT ON COLUMN mm.fact_benchmarks.cohort_templates IS 'Templates of other WABAs in the cohort (as cohort_businesses), each with delivered messages in the window.';
COMMENT ON COLUMN mm.fact_benchmarks.p75_read_rate IS '75th percentile (percentile_cont) of the cohort templates'' read rates; NULL when cohort = none.';
COMMENT ON COLUMN mm.fact_benchmarks.p75_click_rate IS '75th percentile (percentile_cont) of the cohort templates'' click rates; NULL when cohort = none.';
COMMENT ON COLUMN mm.fact_benchmarks.read_rate_percent_rank IS 'percent_rank of the template''s read rate within the cohort plus the template itself (hypothetical-set percent_rank: cohort templates with a lower rate ÷ cohort templates), 0…1; NULL when cohort = none.';
COMMENT ON COLUMN mm.fact_benchmarks.click_rate_percent_rank IS 'As read_rate_percent_rank, for the click rate.';
COMMENT ON COLUMN mm.fact_benchmarks.run_id IS 'The run (etl.runs) whose transform computed the row, when known.';
COMMENT ON COLUMN mm.fact_benchmarks.computed_at IS 'When the row was computed.';
