-- The max-price view.
--
-- The views that read one pricing grain per day (mm.v_pricing, mm.v_route_mix, mm.v_spend_daily)
-- are defined by the analyst-layer migrations over mm.pricing_day_grain (0046, 0052, 0055).
-- Audit for charged categories (service and in-window utility charged from 2026-10-01, AI_BOT
-- possibly per token): no view derives a cost from a category or treats one as free; costs are
-- summed as Meta returns them and stay NULL only where Meta sends none.

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
