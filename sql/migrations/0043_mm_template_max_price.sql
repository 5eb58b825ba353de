-- Max-price (optimization_spec, formerly bid_spec) and send_type of each template version.
-- bid_amount stays the raw integer Meta stores: the maximum price per 1,000 deliveries in the
-- currency's smallest unit as Meta defines it (mm.dim_currency.bid_minor_unit); the view
-- mm.dim_template adds max_price_per_delivery in currency units.
ALTER TABLE mm.dim_template_version
    ADD COLUMN bid_strategy text NOT NULL DEFAULT '',
    ADD COLUMN send_type text NOT NULL DEFAULT '';

COMMENT ON COLUMN mm.dim_template_version.bid_amount IS 'Max-price as Meta stores it (optimization_spec.bid_amount; bid_spec.bid_amount before 2026-07-31): the maximum price per 1,000 deliveries in the smallest unit of bid_currency as Meta defines it (cents for USD, paise for INR, whole pesos for MXN). Raw; mm.dim_template.max_price_per_delivery is the price per delivered message. NULL when none.';
COMMENT ON COLUMN mm.dim_template_version.bid_currency IS 'Currency of bid_amount (the spec''s currency, else the WABA''s); empty when no max-price is set.';
COMMENT ON COLUMN mm.dim_template_version.bid_strategy IS 'optimization_spec.bid_strategy as returned (raw); empty when none.';
COMMENT ON COLUMN mm.dim_template_version.send_type IS 'send_type as returned (CAMPAIGN, DIRECT, TRIGGER, or a newer value); empty when not returned.';

CREATE OR REPLACE VIEW mm.dim_template AS
SELECT v.waba_id, v.template_id, v.name, v.language, v.category, v.status, v.quality_score,
       v.bid_amount, v.bid_currency, v.ttl_seconds, v.valid_from, v.valid_to, v.is_current,
       s.first_seen_at, s.last_seen_at, v.run_id,
       v.bid_strategy, v.send_type,
       v.bid_amount / 1000.0 / (10::numeric ^ c.bid_minor_unit) AS max_price_per_delivery
FROM mm.dim_template_version v
LEFT JOIN mm.dim_template_seen s USING (waba_id, template_id)
LEFT JOIN mm.dim_currency c ON c.currency = v.bid_currency;

COMMENT ON COLUMN mm.dim_template.bid_amount IS 'Max-price as Meta stores it: per 1,000 deliveries, in the smallest unit of bid_currency as Meta defines it (raw; see max_price_per_delivery). NULL when none.';
COMMENT ON COLUMN mm.dim_template.bid_strategy IS 'optimization_spec.bid_strategy as returned; empty when none.';
COMMENT ON COLUMN mm.dim_template.send_type IS 'send_type as returned (CAMPAIGN, DIRECT, TRIGGER, …); empty when not returned.';
COMMENT ON COLUMN mm.dim_template.max_price_per_delivery IS 'Maximum price per delivered message in bid_currency units: bid_amount / 1000 / 10^mm.dim_currency.bid_minor_unit (USD 5000 → 0.05; MXN 150 → 0.15). NULL without a max-price or for a currency not in mm.dim_currency.';
