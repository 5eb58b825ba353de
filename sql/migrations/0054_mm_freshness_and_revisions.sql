-- Freshness and revision history for analysts. mmetl_analyst reads mm only; these two views read
-- etl.* with the rights of their owner (the migration role), so the analyst sees exactly what they
-- show and still nothing in etl or sendlog. (Default privileges of 0002 grant SELECT on new mm
-- views to mmetl_analyst; the GRANTs below say so explicitly.)

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_fact_revisions AS
SELECT r.id AS revision_id, r.table_name AS fact_table,
       r.key ->> 'waba_id' AS waba_id, r.key ->> 'template_id' AS template_id, r.key ->> 'product' AS product,
       (r.key ->> 'day')::date AS day, r.key AS fact_key,
       c.column_name, r.old_values -> c.column_name AS old_value, c.new_value,
       CASE WHEN jsonb_typeof(r.old_values -> c.column_name) = 'number' AND jsonb_typeof(c.new_value) = 'number'
            THEN (c.new_value #>> '{}')::numeric - (r.old_values ->> c.column_name)::numeric END AS change,
       r.changed_at, (r.changed_at AT TIME ZONE 'UTC')::date - (r.key ->> 'day')::date AS days_after_day,
       r.run_id
FROM etl.fact_revisions r
CROSS JOIN LATERAL (SELECT n.key AS column_name, n.value AS new_value FROM jsonb_each(r.new_values) n) c;

COMMENT ON VIEW mm.v_fact_revisions IS 'How late attribution (and corrections) moved each number of the API facts: one row per changed column of each revision in etl.fact_revisions, with its old and new value, the change and how many days after the fact''s day it happened.';
COMMENT ON COLUMN mm.v_fact_revisions.revision_id IS 'The revision (increasing with time); several columns changed by one fetch share it.';
COMMENT ON COLUMN mm.v_fact_revisions.fact_table IS 'The fact table, e.g. mm.fact_template_daily.';
COMMENT ON COLUMN mm.v_fact_revisions.waba_id IS 'WhatsApp Business Account id of the fact row.';
COMMENT ON COLUMN mm.v_fact_revisions.template_id IS 'Template id of the fact row; NULL for mm.fact_pricing.';
COMMENT ON COLUMN mm.v_fact_revisions.product IS 'Product of the fact row (templates facts); NULL for mm.fact_pricing.';
COMMENT ON COLUMN mm.v_fact_revisions.day IS 'WABA-local day of the fact row.';
COMMENT ON COLUMN mm.v_fact_revisions.fact_key IS 'The full natural key as JSON (pricing: granularity, bucket, phone, recipient country, category, type, tier).';
COMMENT ON COLUMN mm.v_fact_revisions.column_name IS 'The column that changed, e.g. read, url_clicks, value.';
COMMENT ON COLUMN mm.v_fact_revisions.old_value IS 'Its value before (JSON).';
COMMENT ON COLUMN mm.v_fact_revisions.new_value IS 'Its value after (JSON).';
COMMENT ON COLUMN mm.v_fact_revisions.change IS 'new_value - old_value when both are numbers; NULL otherwise.';
COMMENT ON COLUMN mm.v_fact_revisions.changed_at IS 'When the change was loaded.';
COMMENT ON COLUMN mm.v_fact_revisions.days_after_day IS 'UTC date of changed_at minus day: how late the number moved.';
COMMENT ON COLUMN mm.v_fact_revisions.run_id IS 'The run that loaded the change.';

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_freshness AS
WITH asof AS (
    SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d
), items AS (
    SELECT waba_id, dataset,
           max(coalesce(fetched_at, finished_at)) FILTER (WHERE status = 'succeeded') AS last_success_at,
           max(run_id) FILTER (WHERE status = 'succeeded') AS last_success_run_id,
           max(coalesce(finished_at, started_at)) FILTER (WHERE status = 'failed') AS last_failure_at
    FROM etl.run_items
    GROUP BY waba_id, dataset
), marks AS (
    SELECT waba_id, dataset, max(watermark) AS loaded_through
    FROM etl.watermarks
    GROUP BY waba_id, dataset
), days AS (
    SELECT waba_id, 'pricing' AS dataset, count(*) AS days, count(*) FILTER (WHERE final) AS final_days
    FROM (SELECT waba_id, day, bool_and(is_final) AS final FROM mm.fact_pricing GROUP BY waba_id, day) p
    GROUP BY waba_id
    UNION ALL
    SELECT waba_id, 'templates', count(*), count(*) FILTER (WHERE final)
    FROM (SELECT waba_id, day, bool_and(is_final) AS final FROM mm.fact_template_daily GROUP BY waba_id, day) t
    GROUP BY waba_id
)
SELECT k.waba_id, k.dataset, m.loaded_through,
       i.last_success_at, i.last_success_run_id, i.last_failure_at,
       asof.d - m.loaded_through AS lag_days,
       d.days AS days_loaded, d.final_days,
       d.final_days::numeric / nullif(d.days, 0) AS final_days_share
FROM (SELECT waba_id, dataset FROM items UNION SELECT waba_id, dataset FROM marks) k
CROSS JOIN asof
LEFT JOIN items i USING (waba_id, dataset)
LEFT JOIN marks m USING (waba_id, dataset)
LEFT JOIN days d ON d.waba_id = k.waba_id AND d.dataset = k.dataset;

COMMENT ON VIEW mm.v_freshness IS 'Per WABA and dataset (pricing, templates, catalog, …): how far the nightly run has loaded, when a load last succeeded or failed, the lag behind today (or SET mmetl.as_of) and the share of loaded days that are final (past the settle window, not expected to move).';
COMMENT ON COLUMN mm.v_freshness.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_freshness.dataset IS 'pricing, templates, catalog, … (as in the run ledger).';
COMMENT ON COLUMN mm.v_freshness.loaded_through IS 'Last WABA-local day the nightly run loaded completely (the watermark; the latest over pipelines); NULL when only backfills loaded it.';
COMMENT ON COLUMN mm.v_freshness.last_success_at IS 'Fetch time of the latest successful load of this WABA and dataset (any command).';
COMMENT ON COLUMN mm.v_freshness.last_success_run_id IS 'The run of that load.';
COMMENT ON COLUMN mm.v_freshness.last_failure_at IS 'When a load of it last failed; NULL when never.';
COMMENT ON COLUMN mm.v_freshness.lag_days IS 'Today (or mmetl.as_of) minus loaded_through, in days.';
COMMENT ON COLUMN mm.v_freshness.days_loaded IS 'Days with rows in the dataset''s fact (pricing: mm.fact_pricing, templates: mm.fact_template_daily); NULL for other datasets.';
COMMENT ON COLUMN mm.v_freshness.final_days IS 'Of those, days whose rows are all final.';
COMMENT ON COLUMN mm.v_freshness.final_days_share IS 'final_days / days_loaded.';

GRANT SELECT ON mm.v_fact_revisions, mm.v_freshness TO mmetl_analyst;
