-- Views that read one pricing grain, and the max-price view.
--
-- Changes to views of migration 0023, kept minimal (the analyst layer may rework them later):
--   * mm.v_route_mix reads mm.v_pricing instead of mm.fact_pricing, so a change of
--     datasets.pricing.dimensions never counts a day's messages twice.
-- Audit for charged categories (service and in-window utility charged from 2026-10-01, AI_BOT
-- possibly per token): no view derives a cost from a category or treats one as free; costs are
-- summed as Meta returns them and stay NULL only where Meta sends none.

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_pricing AS
WITH grains AS (
    SELECT waba_id, granularity, day, dimensions, max(run_id) AS loaded_by, max(last_fetched_at) AS loaded_at
    FROM mm.fact_pricing
    GROUP BY waba_id, granularity, day, dimensions
), chosen AS (
    SELECT DISTINCT ON (waba_id, granularity, day) waba_id, granularity, day, dimensions
    FROM grains
    ORDER BY waba_id, granularity, day, loaded_by DESC, loaded_at DESC, dimensions
)
SELECT f.*
FROM mm.fact_pricing f
JOIN chosen c USING (waba_id, granularity, day, dimensions);

COMMENT ON VIEW mm.v_pricing IS 'mm.fact_pricing with one grain per WABA, granularity and day: the dimension set (dimensions) written last for that day (highest run_id, then last_fetched_at). Sum this, not mm.fact_pricing, unless you filter one grain yourself: after a change of datasets.pricing.dimensions both grains are kept and describe the same messages. mmetl run and check warn about such a change and print the backfill that reloads the old days at the new grain.';

COMMENT ON COLUMN mm.v_pricing.waba_id IS 'As mm.fact_pricing.waba_id.';
COMMENT ON COLUMN mm.v_pricing.granularity IS 'As mm.fact_pricing.granularity.';
COMMENT ON COLUMN mm.v_pricing.bucket_start IS 'As mm.fact_pricing.bucket_start.';
COMMENT ON COLUMN mm.v_pricing.phone_number IS 'As mm.fact_pricing.phone_number.';
COMMENT ON COLUMN mm.v_pricing.country IS 'As mm.fact_pricing.country.';
COMMENT ON COLUMN mm.v_pricing.pricing_category IS 'As mm.fact_pricing.pricing_category.';
COMMENT ON COLUMN mm.v_pricing.pricing_type IS 'As mm.fact_pricing.pricing_type.';
COMMENT ON COLUMN mm.v_pricing.tier IS 'As mm.fact_pricing.tier.';
COMMENT ON COLUMN mm.v_pricing.day IS 'As mm.fact_pricing.day.';
COMMENT ON COLUMN mm.v_pricing.bucket_end IS 'As mm.fact_pricing.bucket_end.';
COMMENT ON COLUMN mm.v_pricing.product IS 'As mm.fact_pricing.product.';
COMMENT ON COLUMN mm.v_pricing.volume IS 'As mm.fact_pricing.volume.';
COMMENT ON COLUMN mm.v_pricing.cost IS 'As mm.fact_pricing.cost.';
COMMENT ON COLUMN mm.v_pricing.currency IS 'As mm.fact_pricing.currency.';
COMMENT ON COLUMN mm.v_pricing.waba_timezone IS 'As mm.fact_pricing.waba_timezone.';
COMMENT ON COLUMN mm.v_pricing.run_id IS 'As mm.fact_pricing.run_id.';
COMMENT ON COLUMN mm.v_pricing.first_fetched_at IS 'As mm.fact_pricing.first_fetched_at.';
COMMENT ON COLUMN mm.v_pricing.last_fetched_at IS 'As mm.fact_pricing.last_fetched_at.';
COMMENT ON COLUMN mm.v_pricing.revision IS 'As mm.fact_pricing.revision.';
COMMENT ON COLUMN mm.v_pricing.is_final IS 'As mm.fact_pricing.is_final.';
COMMENT ON COLUMN mm.v_pricing.dimensions IS 'As mm.fact_pricing.dimensions.';

-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW mm.v_route_mix AS
WITH s AS (
    SELECT waba_id, day,
           sum(sent) FILTER (WHERE route = 'mm_api') AS sendlog_mm_api,
           sum(sent) FILTER (WHERE route = 'cloud_api') AS sendlog_cloud_api,
           sum(sent) FILTER (WHERE route = 'unknown') AS sendlog_unknown,
           sum(delivered) FILTER (WHERE route = 'mm_api') AS sendlog_mm_api_delivered,
           sum(delivered) FILTER (WHERE route = 'cloud_api') AS sendlog_cloud_api_delivered,
           sum(sent) FILTER (WHERE endpoint = 'marketing_messages') AS sendlog_mm_endpoint,
           sum(sent) FILTER (WHERE endpoint = 'marketing_messages' AND route <> 'unknown') AS sendlog_mm_endpoint_routed,
           sum(sent) FILTER (WHERE endpoint = 'marketing_messages' AND route = 'cloud_api') AS sendlog_fallback
    FROM mm.fact_sends_daily
    WHERE waba_id IS NOT NULL
    GROUP BY waba_id, day
), p AS (
    SELECT waba_id, day,
           sum(volume) FILTER (WHERE product = 'mm_api') AS pricing_mm_api,
           sum(volume) FILTER (WHERE product = 'cloud_api') AS pricing_cloud_api
    FROM mm.v_pricing
    WHERE upper(granularity) = 'DAILY'
    GROUP BY waba_id, day
)
SELECT waba_id, day,
       coalesce(s.sendlog_mm_api, 0) AS sendlog_mm_api,
       coalesce(s.sendlog_cloud_api, 0) AS sendlog_cloud_api,
       coalesce(s.sendlog_unknown, 0) AS sendlog_unknown,
       coalesce(s.sendlog_mm_api_delivered, 0) AS sendlog_mm_api_delivered,
       coalesce(s.sendlog_cloud_api_delivered, 0) AS sendlog_cloud_api_delivered,
       s.sendlog_mm_api::numeric / nullif(coalesce(s.sendlog_mm_api, 0) + coalesce(s.sendlog_cloud_api, 0), 0) AS sendlog_mm_api_share,
       coalesce(s.sendlog_mm_endpoint, 0) AS sendlog_mm_endpoint,
       coalesce(s.sendlog_fallback, 0) AS sendlog_fallback,
       coalesce(s.sendlog_fallback, 0)::numeric / nullif(s.sendlog_mm_endpoint_routed, 0) AS sendlog_fallback_share,
       coalesce(p.pricing_mm_api, 0) AS pricing_mm_api,
       coalesce(p.pricing_cloud_api, 0) AS pricing_cloud_api,
       p.pricing_mm_api::numeric / nullif(coalesce(p.pricing_mm_api, 0) + coalesce(p.pricing_cloud_api, 0), 0) AS pricing_mm_api_share
FROM s FULL JOIN p USING (waba_id, day);


-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_template_max_price_vs_cost AS
SELECT f.waba_id, f.template_id, t.name AS template_name, f.day, f.product,
       t.bid_amount, t.bid_strategy, t.bid_currency, t.max_price_per_delivery,
       f.delivered, f.amount_spent, f.currency,
       coalesce(f.cost_per_delivered, f.amount_spent / nullif(f.delivered, 0)) AS cost_per_delivery,
       CASE WHEN t.bid_currency = f.currency
            THEN coalesce(f.cost_per_delivered, f.amount_spent / nullif(f.delivered, 0)) - t.max_price_per_delivery END
           AS cost_minus_max_price,
       CASE WHEN t.bid_currency = f.currency
            THEN coalesce(f.cost_per_delivered, f.amount_spent / nullif(f.delivered, 0)) / nullif(t.max_price_per_delivery, 0) END
           AS cost_to_max_price_ratio,
       t.valid_from AS template_version_from,
       f.is_final
FROM mm.fact_template_daily f
CROSS JOIN LATERAL (
    -- The template version in force at the end of the day; before the first catalog snapshot, the first version.
    SELECT v.* FROM mm.dim_template v
    WHERE v.waba_id = f.waba_id AND v.template_id = f.template_id
    ORDER BY (v.valid_from < f.bucket_end) DESC,
             CASE WHEN v.valid_from < f.bucket_end THEN v.valid_from END DESC NULLS LAST,
             v.valid_from
    LIMIT 1
) t
WHERE f.product = 'mm_api';

COMMENT ON VIEW mm.v_template_max_price_vs_cost IS 'Per MM API template and WABA-local day: the template''s max-price (mm.dim_template, the version in force that day) beside its actual cost per delivered message (template_analytics cost_per_delivered, else amount_spent / delivered). Max-price applies to Marketing Messages API sends only.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.template_id IS 'Message template id.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.template_name IS 'Template name (the version in force that day).';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.product IS 'Always mm_api (max-price is an MM API feature).';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.bid_amount IS 'Raw bid_amount: per 1,000 deliveries in the smallest unit of bid_currency as Meta defines it; NULL without a max-price.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.bid_strategy IS 'bid_strategy as returned.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.bid_currency IS 'Currency of the max-price.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.max_price_per_delivery IS 'Maximum price per delivered message in bid_currency units.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.delivered IS 'Messages delivered that day (API).';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.amount_spent IS 'Spend that day in currency; NULL when Meta returns no cost.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.currency IS 'Currency of the cost columns.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.cost_per_delivery IS 'Actual cost per delivered message: cost_per_delivered, else amount_spent / delivered.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.cost_minus_max_price IS 'cost_per_delivery − max_price_per_delivery (≤ 0 when Meta charged the max-price or less); NULL when either is unknown or the currencies differ.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.cost_to_max_price_ratio IS 'cost_per_delivery / max_price_per_delivery; NULL when either is unknown or the currencies differ.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.template_version_from IS 'valid_from of the template version used.';
COMMENT ON COLUMN mm.v_template_max_price_vs_cost.is_final IS 'The day''s metrics are final (older than the settle window).';
