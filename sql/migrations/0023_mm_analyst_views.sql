-- Analyst views joining the API facts with the send log. Rates are fractions (0.7 = 70 %), NULL
-- when their denominator is 0. Money is in the WABA's currency (the `currency` column).

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_template_performance AS
WITH conv AS (
    SELECT waba_id, template_id, product, day,
           sum(value) FILTER (WHERE metric IN ('website_purchases', 'app_purchases')) AS purchases,
           sum(value) FILTER (WHERE metric IN ('website_purchases_conversion_value', 'app_purchases_conversion_value')) AS purchase_value,
           sum(value) FILTER (WHERE metric IN ('website_add_to_cart', 'app_add_to_cart')) AS add_to_cart,
           sum(value) FILTER (WHERE metric IN ('website_checkouts_initiated', 'app_checkouts_initiated')) AS checkouts_initiated,
           sum(value) FILTER (WHERE metric NOT LIKE '%conversion_value') AS conversions,
           jsonb_object_agg(metric, value) AS conversion_metrics
    FROM mm.fact_conversions
    GROUP BY waba_id, template_id, product, day
), sends AS (
    SELECT waba_id, template_id, product, day,
           sum(sent) AS sent, sum(delivered) AS delivered, sum(read) AS read, sum(failed) AS failed
    FROM mm.fact_sends_daily
    WHERE product IS NOT NULL
    GROUP BY waba_id, template_id, product, day
)
SELECT f.waba_id, f.template_id, t.name AS template_name, t.category AS template_category, f.product, f.day,
       f.sent, f.delivered, f.read, f.url_clicks, f.unique_url_clicks, f.quick_reply_clicks,
       f.delivered::numeric / nullif(f.sent, 0) AS delivery_rate,
       f.read::numeric / nullif(f.delivered, 0) AS read_rate,
       f.url_clicks::numeric / nullif(f.delivered, 0) AS click_rate,
       f.amount_spent, f.currency,
       coalesce(f.cost_per_delivered, f.amount_spent / nullif(f.delivered, 0)) AS cost_per_delivered,
       coalesce(f.cost_per_url_click, f.amount_spent / nullif(f.url_clicks, 0)) AS cost_per_url_click,
       c.purchases, c.purchase_value, c.add_to_cart, c.checkouts_initiated, c.conversions, c.conversion_metrics,
       c.purchases / nullif(f.delivered, 0) AS purchase_rate,
       c.conversions / nullif(f.delivered, 0) AS conversion_rate,
       f.amount_spent / nullif(c.purchases, 0) AS cost_per_purchase,
       c.purchase_value / nullif(f.amount_spent, 0) AS roas,
       s.sent AS sendlog_sent, s.delivered AS sendlog_delivered, s.read AS sendlog_read, s.failed AS sendlog_failed,
       f.is_final
FROM mm.fact_template_daily f
LEFT JOIN conv c USING (waba_id, template_id, product, day)
LEFT JOIN sends s USING (waba_id, template_id, product, day)
LEFT JOIN mm.dim_template t ON t.waba_id = f.waba_id AND t.template_id = f.template_id AND t.is_current;

COMMENT ON VIEW mm.v_template_performance IS 'Per template, product and WABA-local day: API delivery metrics (mm.fact_template_daily) with rates, costs, conversions (mm.fact_conversions) and the send log''s own counts (mm.fact_sends_daily) side by side.';
COMMENT ON COLUMN mm.v_template_performance.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_template_performance.template_id IS 'Template id.';
COMMENT ON COLUMN mm.v_template_performance.template_name IS 'Current template name (mm.dim_template).';
COMMENT ON COLUMN mm.v_template_performance.template_category IS 'Current template category.';
COMMENT ON COLUMN mm.v_template_performance.product IS 'mm_api or cloud_api (template_analytics product_type).';
COMMENT ON COLUMN mm.v_template_performance.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.v_template_performance.sent IS 'Messages sent (API).';
COMMENT ON COLUMN mm.v_template_performance.delivered IS 'Messages delivered (API).';
COMMENT ON COLUMN mm.v_template_performance.read IS 'Messages read (API).';
COMMENT ON COLUMN mm.v_template_performance.url_clicks IS 'URL button clicks (API).';
COMMENT ON COLUMN mm.v_template_performance.unique_url_clicks IS 'Distinct WhatsApp users who clicked a URL button (API).';
COMMENT ON COLUMN mm.v_template_performance.quick_reply_clicks IS 'Quick-reply button clicks (API).';
COMMENT ON COLUMN mm.v_template_performance.delivery_rate IS 'delivered / sent.';
COMMENT ON COLUMN mm.v_template_performance.read_rate IS 'read / delivered.';
COMMENT ON COLUMN mm.v_template_performance.click_rate IS 'url_clicks / delivered.';
COMMENT ON COLUMN mm.v_template_performance.amount_spent IS 'Amount spent (API cost amount_spent), NULL when Meta returns no cost.';
COMMENT ON COLUMN mm.v_template_performance.currency IS 'Currency of every money column.';
COMMENT ON COLUMN mm.v_template_performance.cost_per_delivered IS 'API cost_per_delivered, else amount_spent / delivered.';
COMMENT ON COLUMN mm.v_template_performance.cost_per_url_click IS 'API cost_per_url_button_click, else amount_spent / url_clicks.';
COMMENT ON COLUMN mm.v_template_performance.purchases IS 'website_purchases + app_purchases.';
COMMENT ON COLUMN mm.v_template_performance.purchase_value IS 'website_ + app_purchases_conversion_value.';
COMMENT ON COLUMN mm.v_template_performance.add_to_cart IS 'website_ + app_add_to_cart.';
COMMENT ON COLUMN mm.v_template_performance.checkouts_initiated IS 'website_ + app_checkouts_initiated.';
COMMENT ON COLUMN mm.v_template_performance.conversions IS 'All conversion events (every metric except *_conversion_value).';
COMMENT ON COLUMN mm.v_template_performance.conversion_metrics IS 'Every conversion metric of the day as {metric: value}, new metric names included.';
COMMENT ON COLUMN mm.v_template_performance.purchase_rate IS 'Purchases per delivered message.';
COMMENT ON COLUMN mm.v_template_performance.conversion_rate IS 'Conversion events per delivered message.';
COMMENT ON COLUMN mm.v_template_performance.cost_per_purchase IS 'amount_spent / purchases.';
COMMENT ON COLUMN mm.v_template_performance.roas IS 'Return on ad spend: purchase_value / amount_spent.';
COMMENT ON COLUMN mm.v_template_performance.sendlog_sent IS 'Messages the send log has for this template, product and day (mm.fact_sends_daily).';
COMMENT ON COLUMN mm.v_template_performance.sendlog_delivered IS 'Of those, delivered (delivered or read status).';
COMMENT ON COLUMN mm.v_template_performance.sendlog_read IS 'Of those, read.';
COMMENT ON COLUMN mm.v_template_performance.sendlog_failed IS 'Of those, failed.';
COMMENT ON COLUMN mm.v_template_performance.is_final IS 'The API row is past its settle window.';

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_route_mix AS
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
    FROM mm.fact_pricing
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

COMMENT ON VIEW mm.v_route_mix IS 'Per WABA and WABA-local day: how marketing messages went out — MM API vs Cloud API — from the send log (routes and /marketing_messages fallback to Cloud API) and from pricing_analytics (MARKETING_LITE vs MARKETING volume, DAILY buckets).';
COMMENT ON COLUMN mm.v_route_mix.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_route_mix.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_api IS 'Send-log messages whose statuses said marketing_lite.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_cloud_api IS 'Send-log messages whose statuses said marketing.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_unknown IS 'Send-log messages with no marketing pricing seen (failed before pricing, utility, no webhooks yet).';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_api_delivered IS 'Delivered send-log messages routed via MM API (comparable with pricing volume, which counts delivered messages).';
COMMENT ON COLUMN mm.v_route_mix.sendlog_cloud_api_delivered IS 'Delivered send-log messages routed via Cloud API.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_api_share IS 'sendlog_mm_api / (sendlog_mm_api + sendlog_cloud_api).';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_endpoint IS 'Send-log messages sent through /marketing_messages.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_fallback IS 'Of those, carried by Cloud API (product_policy CLOUD_API_FALLBACK fell back).';
COMMENT ON COLUMN mm.v_route_mix.sendlog_fallback_share IS 'sendlog_fallback / /marketing_messages sends with a known route.';
COMMENT ON COLUMN mm.v_route_mix.pricing_mm_api IS 'pricing_analytics volume of MM API categories (MARKETING_LITE…).';
COMMENT ON COLUMN mm.v_route_mix.pricing_cloud_api IS 'pricing_analytics volume of Cloud API marketing (MARKETING).';
COMMENT ON COLUMN mm.v_route_mix.pricing_mm_api_share IS 'pricing_mm_api / (pricing_mm_api + pricing_cloud_api).';

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_reconciliation AS
WITH s AS (
    SELECT waba_id, template_id, product, day,
           sum(sent) AS sent, sum(delivered) AS delivered, sum(read) AS read, sum(failed) AS failed
    FROM mm.fact_sends_daily
    WHERE product IS NOT NULL AND waba_id IS NOT NULL AND template_id IS NOT NULL
    GROUP BY waba_id, template_id, product, day
), a AS (
    SELECT waba_id, template_id, product, day, sent, delivered, read, is_final
    FROM mm.fact_template_daily
    WHERE product IN ('mm_api', 'cloud_api')
), tol AS (
    SELECT coalesce(nullif(current_setting('mmetl.reconcile_tolerance_pct', true), '')::numeric, 2) AS pct,
           coalesce(nullif(current_setting('mmetl.reconcile_tolerance_abs', true), '')::numeric, 5) AS abs
), j AS (
    SELECT waba_id, template_id, product, day,
           s.sent AS sendlog_sent, a.sent AS api_sent,
           s.delivered AS sendlog_delivered, a.delivered AS api_delivered,
           s.read AS sendlog_read, a.read AS api_read,
           s.failed AS sendlog_failed, a.sent - a.delivered AS api_undelivered,
           a.is_final,
           CASE WHEN a.waba_id IS NULL THEN 'sendlog_only' WHEN s.waba_id IS NULL THEN 'api_only' ELSE 'both' END AS presence
    FROM s FULL JOIN a USING (waba_id, template_id, product, day)
)
SELECT j.*,
       coalesce(sendlog_sent, 0) - coalesce(api_sent, 0) AS sent_delta,
       coalesce(sendlog_delivered, 0) - coalesce(api_delivered, 0) AS delivered_delta,
       coalesce(sendlog_read, 0) - coalesce(api_read, 0) AS read_delta,
       greatest(tol.abs, tol.pct / 100 * coalesce(api_sent, sendlog_sent, 0)) AS tolerance,
       abs(coalesce(sendlog_sent, 0) - coalesce(api_sent, 0)) > greatest(tol.abs, tol.pct / 100 * coalesce(api_sent, sendlog_sent, 0))
           OR abs(coalesce(sendlog_delivered, 0) - coalesce(api_delivered, 0)) > greatest(tol.abs, tol.pct / 100 * coalesce(api_delivered, sendlog_delivered, 0))
           OR abs(coalesce(sendlog_read, 0) - coalesce(api_read, 0)) > greatest(tol.abs, tol.pct / 100 * coalesce(api_read, sendlog_read, 0))
           AS is_exception
FROM j CROSS JOIN tol;

COMMENT ON VIEW mm.v_reconciliation IS 'Send log vs API per template, product and WABA-local day: sent, delivered and read from both sides with deltas (send log minus API), and is_exception when a delta exceeds the tolerance: more than max(mmetl.reconcile_tolerance_abs messages (default 5), mmetl.reconcile_tolerance_pct percent (default 2) of the API value). Send-log messages with no known product or template are left out.';
COMMENT ON COLUMN mm.v_reconciliation.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_reconciliation.template_id IS 'Template id.';
COMMENT ON COLUMN mm.v_reconciliation.product IS 'mm_api or cloud_api.';
COMMENT ON COLUMN mm.v_reconciliation.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.v_reconciliation.sendlog_sent IS 'Messages in the send log (mm.fact_sends_daily).';
COMMENT ON COLUMN mm.v_reconciliation.api_sent IS 'sent from template_analytics (mm.fact_template_daily).';
COMMENT ON COLUMN mm.v_reconciliation.sendlog_delivered IS 'Send-log messages delivered.';
COMMENT ON COLUMN mm.v_reconciliation.api_delivered IS 'delivered from template_analytics.';
COMMENT ON COLUMN mm.v_reconciliation.sendlog_read IS 'Send-log messages read.';
COMMENT ON COLUMN mm.v_reconciliation.api_read IS 'read from template_analytics (grows for 7 days after sending).';
COMMENT ON COLUMN mm.v_reconciliation.sendlog_failed IS 'Send-log messages failed.';
COMMENT ON COLUMN mm.v_reconciliation.api_undelivered IS 'API sent - delivered (comparable with sendlog_failed).';
COMMENT ON COLUMN mm.v_reconciliation.is_final IS 'The API row is past its settle window.';
COMMENT ON COLUMN mm.v_reconciliation.presence IS 'both, sendlog_only or api_only.';
COMMENT ON COLUMN mm.v_reconciliation.sent_delta IS 'sendlog_sent - api_sent (missing side counts as 0).';
COMMENT ON COLUMN mm.v_reconciliation.delivered_delta IS 'sendlog_delivered - api_delivered.';
COMMENT ON COLUMN mm.v_reconciliation.read_delta IS 'sendlog_read - api_read.';
COMMENT ON COLUMN mm.v_reconciliation.tolerance IS 'Allowed absolute sent delta: max(abs tolerance, pct tolerance × API sent).';
COMMENT ON COLUMN mm.v_reconciliation.is_exception IS 'A sent, delivered or read delta exceeds its tolerance.';
