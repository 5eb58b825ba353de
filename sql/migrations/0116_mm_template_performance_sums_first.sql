-- mm.template_performance summed mm.v_template_performance: per fact row the view's joins (the
-- WABA's measured flags, the template's current name) and CASEs, then ~25 aggregates over the rows
-- (30 days of 1,000 WABAs × 20 templates × 2 products, 1.2 M rows: 3.0–5.3 s). It now sums the
-- fact first — one pass over mm.fact_template_performance_daily, grouped — and joins the flags and
-- names once per group (40 k), which they are constant over: the measured flags depend on the WABA
-- and product only, the name on the template. Same rows and values: each view-level CASE becomes a
-- FILTER or a CASE around the group's sum (a not-measured group sums only NULLs, so NULL; a count
-- over no row, 0), checked against the old definition in the tests.
--
-- PARALLEL SAFE (it only reads): a call of a function marked unsafe (the default) keeps its whole
-- query on one process, even where PostgreSQL inlines the function's body.
CREATE OR REPLACE FUNCTION mm.template_performance(p_from date, p_to date, p_waba_id text DEFAULT NULL)
RETURNS TABLE (waba_id text, template_id text, template_name text, template_category text, product text,
               currency text, days bigint, clicks_measured boolean, conversions_measured boolean,
               sent numeric, delivered numeric, read numeric, url_clicks numeric,
               delivery_rate numeric, read_rate numeric, click_rate numeric,
               amount_spent numeric, days_without_cost bigint, cost_per_delivered numeric,
               purchases numeric, purchase_value numeric, add_to_cart numeric, checkouts_initiated numeric,
               purchase_rate numeric, comparable_days bigint, cost_per_purchase numeric, roas numeric,
               sendlog_sent numeric, sendlog_failed numeric, is_final boolean)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH g AS (
        -- `c` marks a day with conversions (the view's purchases etc. are NULL on other days).
        SELECT a.waba_id, a.template_id, a.product, a.currency, count(*) AS days,
               sum(a.sent) AS sent, sum(a.delivered) AS delivered, sum(a.read) AS read, sum(a.url_clicks) AS url_clicks,
               sum(a.delivered) FILTER (WHERE a.url_clicks IS NOT NULL) AS delivered_with_clicks,
               sum(a.amount_spent) AS amount_spent, count(*) FILTER (WHERE a.amount_spent IS NULL) AS days_without_cost,
               sum(a.delivered) FILTER (WHERE a.amount_spent IS NOT NULL) AS delivered_with_cost,
               sum(coalesce(a.purchases, 0)) FILTER (WHERE a.conversion_rows > 0) AS purchases,
               sum(coalesce(a.purchase_value, 0)) FILTER (WHERE a.conversion_rows > 0) AS purchase_value,
               sum(coalesce(a.add_to_cart, 0)) FILTER (WHERE a.conversion_rows > 0) AS add_to_cart,
               sum(coalesce(a.checkouts_initiated, 0)) FILTER (WHERE a.conversion_rows > 0) AS checkouts_initiated,
               sum(a.delivered) FILTER (WHERE a.conversion_rows > 0) AS delivered_with_conversions,
               count(*) FILTER (WHERE a.amount_spent IS NOT NULL AND a.conversion_rows > 0) AS comparable_days,
               sum(a.amount_spent) FILTER (WHERE a.conversion_rows > 0) AS spent_with_conversions,
               sum(coalesce(a.purchases, 0)) FILTER (WHERE a.amount_spent IS NOT NULL AND a.conversion_rows > 0) AS purchases_with_cost,
               sum(coalesce(a.purchase_value, 0)) FILTER (WHERE a.amount_spent IS NOT NULL AND a.conversion_rows > 0) AS value_with_cost,
               sum(a.sendlog_sent) AS sendlog_sent, sum(a.sendlog_failed) AS sendlog_failed, bool_and(a.is_final) AS is_final
        FROM mm.fact_template_performance_daily a
        WHERE a.has_api AND a.day BETWEEN p_from AND p_to AND (p_waba_id IS NULL OR a.waba_id = p_waba_id COLLATE "C")
        GROUP BY a.waba_id, a.template_id, a.product, a.currency
    )
    SELECT g.waba_id, g.template_id, t.name, t.category, g.product, g.currency, g.days,
           m.clicks_measured, m.conversions_measured, g.sent, g.delivered, g.read,
           CASE WHEN m.clicks_measured THEN g.url_clicks END,
           g.delivered / nullif(g.sent, 0),
           g.read / nullif(g.delivered, 0),
           CASE WHEN m.clicks_measured THEN g.url_clicks / nullif(g.delivered_with_clicks, 0) END,
           g.amount_spent, g.days_without_cost,
           g.amount_spent / nullif(g.delivered_with_cost, 0),
           CASE WHEN m.conversions_measured THEN g.purchases END,
           CASE WHEN m.conversions_measured THEN g.purchase_value END,
           CASE WHEN m.conversions_measured THEN g.add_to_cart END,
           CASE WHEN m.conversions_measured THEN g.checkouts_initiated END,
           CASE WHEN m.conversions_measured THEN g.purchases / nullif(g.delivered_with_conversions, 0) END,
           CASE WHEN m.conversions_measured THEN g.comparable_days ELSE 0 END,
           CASE WHEN m.conversions_measured THEN g.spent_with_conversions / nullif(g.purchases_with_cost, 0) END,
           CASE WHEN m.conversions_measured THEN g.value_with_cost / nullif(g.spent_with_conversions, 0) END,
           g.sendlog_sent, g.sendlog_failed, g.is_final
    FROM g
    LEFT JOIN mm.v_waba w ON w.waba_id = g.waba_id
    CROSS JOIN LATERAL (
        SELECT g.product <> 'mm_api' OR coalesce(w.mm_metrics_measured, true) AS clicks_measured,
               g.product = 'mm_api' AND coalesce(w.mm_metrics_measured, true) AS conversions_measured
    ) m
    LEFT JOIN mm.dim_template t ON t.waba_id = g.waba_id AND t.template_id = g.template_id AND t.is_current
$$;
