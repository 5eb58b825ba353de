-- Rollups for analysts: every ratio is computed from sums over the range, never as an average of
-- daily ratios; money is never added across currencies.

-- ---------------------------------------------------------------------------------------------
-- Template performance over any date range. A plain SQL function (inlined by the planner), so the
-- range reaches mm.v_template_performance's facts and prunes their partitions. p_waba_id narrows it
-- to one WABA with the facts' own collation, so their primary key serves it (a filter on the
-- function's text output would compare in the database's default collation instead).
CREATE FUNCTION mm.template_performance(p_from date, p_to date, p_waba_id text DEFAULT NULL)
RETURNS TABLE (waba_id text, template_id text, template_name text, template_category text, product text,
               currency text, days bigint, clicks_measured boolean, conversions_measured boolean,
               sent numeric, delivered numeric, read numeric, url_clicks numeric,
               delivery_rate numeric, read_rate numeric, click_rate numeric,
               amount_spent numeric, days_without_cost bigint, cost_per_delivered numeric,
               purchases numeric, purchase_value numeric, add_to_cart numeric, checkouts_initiated numeric,
               purchase_rate numeric, comparable_days bigint, cost_per_purchase numeric, roas numeric,
               sendlog_sent numeric, sendlog_failed numeric, is_final boolean)
LANGUAGE sql STABLE
AS $$
    SELECT p.waba_id, p.template_id, max(p.template_name), max(p.template_category), p.product, p.currency,
           count(*), bool_and(p.clicks_measured), bool_and(p.conversions_measured),
           sum(p.sent), sum(p.delivered), sum(p.read), sum(p.url_clicks),
           sum(p.delivered) / nullif(sum(p.sent), 0),
           sum(p.read) / nullif(sum(p.delivered), 0),
           sum(p.url_clicks) / nullif(sum(p.delivered) FILTER (WHERE p.url_clicks IS NOT NULL), 0),
           sum(p.amount_spent), count(*) FILTER (WHERE p.amount_spent IS NULL),
           sum(p.amount_spent) / nullif(sum(p.delivered) FILTER (WHERE p.amount_spent IS NOT NULL), 0),
           sum(p.purchases), sum(p.purchase_value), sum(p.add_to_cart), sum(p.checkouts_initiated),
           sum(p.purchases) / nullif(sum(p.delivered) FILTER (WHERE p.purchases IS NOT NULL), 0),
           count(*) FILTER (WHERE p.amount_spent IS NOT NULL AND p.purchases IS NOT NULL),
           sum(p.amount_spent) FILTER (WHERE p.purchases IS NOT NULL)
               / nullif(sum(p.purchases) FILTER (WHERE p.amount_spent IS NOT NULL), 0),
           sum(p.purchase_value) FILTER (WHERE p.amount_spent IS NOT NULL)
               / nullif(sum(p.amount_spent) FILTER (WHERE p.purchases IS NOT NULL), 0),
           sum(p.sendlog_sent), sum(p.sendlog_failed), bool_and(p.is_final)
    FROM mm.v_template_performance p
    WHERE p.day BETWEEN p_from AND p_to AND (p_waba_id IS NULL OR p.waba_id = p_waba_id COLLATE "C")
    GROUP BY p.waba_id, p.template_id, p.product, p.currency
$$;
COMMENT ON FUNCTION mm.template_performance(date, date, text) IS 'mm.v_template_performance summed over the WABA-local days [p_from, p_to] (and WABA p_waba_id when given), one row per template, product and currency; every rate is a ratio of sums (read_rate = Σ read ÷ Σ delivered). click_rate and purchase_rate use the deliveries of the days where clicks / conversions were measured; cost_per_delivered the deliveries of the days with a cost; cost_per_purchase and roas only the comparable_days with both a cost and conversions. Example: SELECT * FROM mm.template_performance(''2026-11-01'', ''2026-11-30''), or (…, ''<waba id>'') for one WABA.';
GRANT EXECUTE ON FUNCTION mm.template_performance(date, date, text) TO mmetl_analyst;

-- ---------------------------------------------------------------------------------------------
-- One grain per WABA, granularity and day (mm.pricing_day_grain), with names that say what they hold.
CREATE VIEW mm.v_pricing AS
SELECT p.waba_id, p.granularity, p.day, p.bucket_start, p.bucket_end, p.phone_number AS business_phone_number,
       p.country AS recipient_country, p.pricing_category, p.pricing_type, p.tier, p.product,
       p.volume, p.cost, p.currency, p.is_final, p.revision, p.dimensions
FROM mm.fact_pricing p
JOIN mm.pricing_day_grain g USING (waba_id, granularity, day, dimensions);

COMMENT ON VIEW mm.v_pricing IS 'mm.fact_pricing at one grain per WABA, granularity and day (the dimension set written last: after a change of datasets.pricing.dimensions both grains are kept and describe the same messages, so sum this view, not the table), with names that say what they hold: recipient_country (was country), business_phone_number (was phone_number). One row per WABA, bucket, business phone, recipient country, pricing category, type and tier.';
COMMENT ON COLUMN mm.v_pricing.dimensions IS 'The grain: the pricing dimensions the row was requested with (sorted, comma-separated).';
COMMENT ON COLUMN mm.v_pricing.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_pricing.granularity IS 'DAILY, MONTHLY or HALF_HOUR.';
COMMENT ON COLUMN mm.v_pricing.day IS 'WABA-local date of bucket_start.';
COMMENT ON COLUMN mm.v_pricing.bucket_start IS 'Start of the bucket as returned.';
COMMENT ON COLUMN mm.v_pricing.bucket_end IS 'End of the bucket as returned.';
COMMENT ON COLUMN mm.v_pricing.business_phone_number IS 'The sending business number, digits only (was fact_pricing.phone_number); empty when not broken down.';
COMMENT ON COLUMN mm.v_pricing.recipient_country IS 'Recipients'' country, ISO alpha-2 (was fact_pricing.country); empty when not broken down. Not the business''s country.';
COMMENT ON COLUMN mm.v_pricing.pricing_category IS 'Pricing category as returned (MARKETING_LITE, MARKETING, UTILITY, …).';
COMMENT ON COLUMN mm.v_pricing.pricing_type IS 'Pricing type as returned (REGULAR, FREE_CUSTOMER_SERVICE, …).';
COMMENT ON COLUMN mm.v_pricing.tier IS 'Volume tier as returned.';
COMMENT ON COLUMN mm.v_pricing.product IS 'mm_api, cloud_api or other.';
COMMENT ON COLUMN mm.v_pricing.volume IS 'Messages delivered in the bucket.';
COMMENT ON COLUMN mm.v_pricing.cost IS 'Approximate charges in currency; NULL when Meta returns none.';
COMMENT ON COLUMN mm.v_pricing.currency IS 'Currency of cost.';
COMMENT ON COLUMN mm.v_pricing.is_final IS 'Past the pricing settle window.';
COMMENT ON COLUMN mm.v_pricing.revision IS 'How many times the values changed after the first load.';

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_spend_daily AS
SELECT p.waba_id, p.day, p.currency, p.product,
       sum(p.volume) AS volume,
       sum(p.cost) AS cost,
       sum(p.volume) FILTER (WHERE p.cost IS NOT NULL) AS priced_volume,
       sum(p.cost) / nullif(sum(p.volume) FILTER (WHERE p.cost IS NOT NULL), 0) AS cost_per_delivered,
       count(*) FILTER (WHERE p.cost IS NULL) AS rows_without_cost,
       bool_and(p.is_final) AS is_final
FROM mm.v_pricing p
WHERE upper(p.granularity) = 'DAILY'
GROUP BY p.waba_id, p.day, p.currency, p.product;

COMMENT ON VIEW mm.v_spend_daily IS 'Daily spend per WABA, currency and product from pricing_analytics (mm.v_pricing: one grain per day, DAILY buckets): volume, cost and cost per delivered message computed from sums. Never adds currencies.';
COMMENT ON COLUMN mm.v_spend_daily.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_spend_daily.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.v_spend_daily.currency IS 'Currency of cost.';
COMMENT ON COLUMN mm.v_spend_daily.product IS 'mm_api (MARKETING_LITE), cloud_api (MARKETING) or other (utility, authentication, service, …).';
COMMENT ON COLUMN mm.v_spend_daily.volume IS 'Messages delivered (all rows).';
COMMENT ON COLUMN mm.v_spend_daily.cost IS 'Approximate charges; NULL when Meta returned no cost for any row.';
COMMENT ON COLUMN mm.v_spend_daily.priced_volume IS 'Messages delivered on rows that have a cost.';
COMMENT ON COLUMN mm.v_spend_daily.cost_per_delivered IS 'cost / priced_volume (like with like: rows without cost are left out of both).';
COMMENT ON COLUMN mm.v_spend_daily.rows_without_cost IS 'Pricing rows without cost (partner credit lines): their volume is not in priced_volume.';
COMMENT ON COLUMN mm.v_spend_daily.is_final IS 'Every row of the day is past the pricing settle window.';
