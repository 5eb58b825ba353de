-- mm.v_template_max_price_vs_cost looks up, for every fact row, the template version in force that
-- day. The facts' keys are in the "C" collation (byte order, as the loader compares them); the
-- catalog's (mm.dim_template_version) in the database's. Compared as they were, the two collations
-- conflict, and PostgreSQL could not use the catalog's primary key for the look-up: it read the
-- whole catalog once per fact row (over 30 days of 1,000 WABAs × 20 templates: more than ten
-- minutes). Equality does not depend on the collation here (both are deterministic), so the facts'
-- keys are compared in the catalog's collation and the look-up reaches its version by the key.
-- Same columns, same rows; the comments and grants stay.
CREATE OR REPLACE VIEW mm.v_template_max_price_vs_cost AS
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
    WHERE v.waba_id = f.waba_id COLLATE "default" AND v.template_id = f.template_id COLLATE "default"
    ORDER BY (v.valid_from < f.bucket_end) DESC,
             CASE WHEN v.valid_from < f.bucket_end THEN v.valid_from END DESC NULLS LAST,
             v.valid_from
    LIMIT 1
) t
WHERE f.product = 'mm_api';
