-- mm.v_template_max_price_vs_cost picked each fact row's template version with a lateral look-up:
-- one index probe and a one-row sort per fact row (over 30 days of 1,000 WABAs × 20 templates,
-- 607 k rows: 21 s). The version in force is a range question, so it is now answered set-based:
-- each version knows the next one's valid_from (a window over the catalog, read once), and a
-- fact row joins the version whose [valid_from, next valid_from) holds its bucket_end — or, before
-- the first snapshot, the first version. Same rows: "the latest version with valid_from <
-- bucket_end, else the earliest" (valid_from is unique per template, the catalog's key).
--
-- The keys are compared in the facts' "C" collation (equality is the same in both: both are
-- deterministic), so a one-WABA filter on the view reaches the catalog too: PostgreSQL derives
-- the catalog's WABA from the fact's and pushes it into the window (its partition column), and
-- reads only that WABA's versions. Same columns; the comments and grants stay.
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
JOIN (
    -- Each version with the next one's start (NULL for the latest) and whether it is the first.
    SELECT v.*, lead(v.valid_from) OVER w AS next_valid_from, row_number() OVER w = 1 AS is_first_version
    FROM mm.dim_template v
    WINDOW w AS (PARTITION BY v.waba_id, v.template_id ORDER BY v.valid_from)
) t ON t.waba_id COLLATE "C" = f.waba_id AND t.template_id COLLATE "C" = f.template_id
   -- The version in force at the end of the day; before the first catalog snapshot, the first version.
   AND (t.valid_from < f.bucket_end OR t.is_first_version)
   AND (t.next_valid_from IS NULL OR t.next_valid_from >= f.bucket_end)
WHERE f.product = 'mm_api';
