-- The grain of each mm.fact_pricing row: the dimension set requested (datasets.pricing.dimensions).
-- Rows of two grains describe the same messages twice; with the grain in the key they never
-- overwrite each other, and the views read one grain per WABA, granularity and day (mm.v_pricing).
ALTER TABLE mm.fact_pricing ADD COLUMN dimensions text COLLATE "C" NOT NULL DEFAULT '';

-- Rows loaded before: the grain is inferred per WABA and granularity as the dimensions that have a
-- value in at least one row (a requested dimension that never had one, e.g. TIER on free traffic
-- only, cannot be seen). Canonical form: upper case, sorted, comma-separated.
UPDATE mm.fact_pricing f SET dimensions = g.dimensions
FROM (
    SELECT waba_id, granularity,
           concat_ws(',',
               CASE WHEN bool_or(country <> '') THEN 'COUNTRY' END,
               CASE WHEN bool_or(phone_number <> '') THEN 'PHONE' END,
               CASE WHEN bool_or(pricing_category <> '') THEN 'PRICING_CATEGORY' END,
               CASE WHEN bool_or(pricing_type <> '') THEN 'PRICING_TYPE' END,
               CASE WHEN bool_or(tier <> '') THEN 'TIER' END) AS dimensions
    FROM mm.fact_pricing
    GROUP BY waba_id, granularity
) g
WHERE f.waba_id = g.waba_id AND f.granularity = g.granularity;

ALTER TABLE mm.fact_pricing DROP CONSTRAINT fact_pricing_pkey;
ALTER TABLE mm.fact_pricing ADD CONSTRAINT fact_pricing_pkey
    PRIMARY KEY (waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type, tier, dimensions, day);

COMMENT ON TABLE mm.fact_pricing IS 'Delivered messages and their approximate cost per bucket (pricing_analytics of GET /<WABA_ID>), broken down by phone number, country, pricing category, pricing type and volume tier. Key: waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type, tier, dimensions (plus day, a function of bucket_start). Rows of different grains (dimensions) describe the same messages: sum one grain only — mm.v_pricing does. Partitioned by month of day.';
COMMENT ON COLUMN mm.fact_pricing.dimensions IS 'The grain: the dimensions requested (datasets.pricing.dimensions), upper case, sorted, comma-separated, e.g. COUNTRY,PHONE,PRICING_CATEGORY,PRICING_TYPE,TIER; empty for no breakdown (also the default for writers that do not set it). Rows loaded before mmetl recorded it carry the dimensions seen with a value in that WABA''s rows.';
COMMENT ON COLUMN mm.fact_pricing.cost IS 'Approximate charges in currency (data point cost), for every category: which categories are charged changes over time (service and in-window utility from 2026-10-01, Business Agent AI_BOT possibly per token), so no category is assumed free. NULL only when Meta returns no cost (WABAs on a partner''s credit line). Analytics are approximate and may differ from invoices.';
