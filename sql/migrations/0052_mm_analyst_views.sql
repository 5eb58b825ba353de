-- The analyst views, defined again (0050 dropped them):
--   * mm.fact_template_performance_daily: a daily template-performance fact materialized by
--     sql/transforms/15_fact_template_performance.sql over the affected days (API facts, their
--     conversions and the send log combined once, with UNION ALL + GROUP BY), partitioned by month
--     like the facts; filled here for every day already loaded;
--   * mm.v_waba: the business behind each WABA with clearer names (business_country) and whether
--     Meta measures MM API clicks and conversions for it;
--   * mm.v_template_performance and mm.v_reconciliation read that fact, so a filter on day (and
--     waba_id) prunes its partitions instead of aggregating every fact whole;
--   * mm.v_template_performance: each conversion column is one metric (no sum of different events);
--     clicks and conversions that Meta does not measure read NULL, and so do the rates over them;
--   * mm.v_route_mix: a route without rows counts 0 (its share is 0 %, not NULL); it combines the
--     send log and pricing with UNION ALL + GROUP BY (no FULL JOIN), so filters reach both.
-- Rates are fractions (0.7 = 70 %), NULL when their denominator is 0 or not measured. Money is in
-- the `currency` column's currency.

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_waba AS
SELECT w.waba_id, w.name AS waba_name, w.currency, w.timezone,
       coalesce(nullif(upper(btrim(w.country)), ''), ph.country) AS business_country,
       CASE WHEN nullif(btrim(w.country), '') IS NOT NULL THEN 'pipeline'
            WHEN ph.country IS NOT NULL THEN 'phone_numbers' END AS business_country_source,
       coalesce(nullif(w.region, ''), c.region) AS business_region,
       lower(coalesce(nullif(btrim(w.industry), ''), pv.vertical)) AS industry,
       c.mm_click_conversion_metrics AS mm_metrics_measured,
       w.mm_onboarding_status, w.insights_enabled
FROM mm.dim_waba w
-- The phone numbers are read only when the pipeline file says nothing.
LEFT JOIN LATERAL (
    SELECT mode() WITHIN GROUP (ORDER BY x.cc) AS country
    FROM mm.dim_phone_number p
    CROSS JOIN LATERAL (SELECT mm.country_of_e164(p.display_phone_number) AS cc) x
    WHERE p.waba_id = w.waba_id AND x.cc IS NOT NULL AND nullif(btrim(w.country), '') IS NULL
) ph ON true
LEFT JOIN LATERAL (
    SELECT mode() WITHIN GROUP (ORDER BY btrim(p.vertical)) AS vertical
    FROM mm.dim_phone_number p
    WHERE p.waba_id = w.waba_id AND btrim(p.vertical) <> '' AND nullif(btrim(w.industry), '') IS NULL
) pv ON true
LEFT JOIN mm.dim_country c ON c.country_code = coalesce(nullif(upper(btrim(w.country)), ''), ph.country);

COMMENT ON VIEW mm.v_waba IS 'One row per WABA (mm.dim_waba) with the business''s country, region and industry as the analyst views and benchmarks use them, and whether Meta measures MM API clicks and conversions for it.';
COMMENT ON COLUMN mm.v_waba.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_waba.waba_name IS 'WABA name (mm.dim_waba.name).';
COMMENT ON COLUMN mm.v_waba.currency IS 'The WABA''s current currency (facts carry their own).';
COMMENT ON COLUMN mm.v_waba.timezone IS 'IANA timezone of the WABA-local day.';
COMMENT ON COLUMN mm.v_waba.business_country IS 'The business''s country (ISO alpha-2): mm.dim_waba.country (pipeline file) when set, else the most common country of its phone numbers'' calling codes (mm.country_of_e164); NULL when neither is known. Not the recipients'' country.';
COMMENT ON COLUMN mm.v_waba.business_country_source IS 'pipeline, phone_numbers, or NULL when business_country is unknown.';
COMMENT ON COLUMN mm.v_waba.business_region IS 'UN M49 region of the business (mm.dim_waba.region, else that of business_country).';
COMMENT ON COLUMN mm.v_waba.industry IS 'Industry, lower case: mm.dim_waba.industry, else the most common business-profile vertical of its phone numbers.';
COMMENT ON COLUMN mm.v_waba.mm_metrics_measured IS 'Whether Meta measures MM API clicks and conversions for this business (mm.dim_country.mm_click_conversion_metrics of business_country): false in the EEA, the UK, Japan, South Korea and Russia; NULL when business_country is unknown (the views then treat them as measured).';
COMMENT ON COLUMN mm.v_waba.mm_onboarding_status IS 'Marketing Messages API onboarding status; empty when unknown.';
COMMENT ON COLUMN mm.v_waba.insights_enabled IS 'Whether template analytics are enabled; NULL when not read.';

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_template_performance AS
SELECT a.waba_id, a.template_id, t.name AS template_name, t.category AS template_category, a.product, a.day,
       w.business_country, m.clicks_measured, m.conversions_measured,
       a.sent, a.delivered, a.read,
       CASE WHEN m.clicks_measured THEN a.url_clicks END AS url_clicks,
       CASE WHEN m.clicks_measured THEN a.unique_url_clicks END AS unique_url_clicks,
       CASE WHEN m.clicks_measured THEN a.quick_reply_clicks END AS quick_reply_clicks,
       a.delivered::numeric / nullif(a.sent, 0) AS delivery_rate,
       a.read::numeric / nullif(a.delivered, 0) AS read_rate,
       CASE WHEN m.clicks_measured THEN a.url_clicks::numeric / nullif(a.delivered, 0) END AS click_rate,
       a.amount_spent, a.currency,
       coalesce(a.cost_per_delivered, a.amount_spent / nullif(a.delivered, 0)) AS cost_per_delivered,
       CASE WHEN m.clicks_measured THEN coalesce(a.cost_per_url_click, a.amount_spent / nullif(a.url_clicks, 0)) END AS cost_per_url_click,
       c.purchases, c.purchase_value, c.add_to_cart, c.checkouts_initiated,
       CASE WHEN m.conversions_measured THEN a.conversion_metrics END AS conversion_metrics,
       c.purchases / nullif(a.delivered, 0) AS purchase_rate,
       a.amount_spent / nullif(c.purchases, 0) AS cost_per_purchase,
       c.purchase_value / nullif(a.amount_spent, 0) AS roas,
       a.sendlog_sent, a.sendlog_delivered, a.sendlog_read, a.sendlog_failed,
       a.is_final
FROM mm.fact_template_performance_daily a
LEFT JOIN mm.v_waba w ON w.waba_id = a.waba_id
CROSS JOIN LATERAL (
    SELECT a.product <> 'mm_api' OR coalesce(w.mm_metrics_measured, true) AS clicks_measured,
           a.product = 'mm_api' AND coalesce(w.mm_metrics_measured, true) AS conversions_measured
) m
CROSS JOIN LATERAL (
    -- Conversions are NULL where not measured, and where measured but no conversion metric came
    -- back for the day (the pipeline asked for none); a metric missing beside others counts 0.
    SELECT CASE WHEN m.conversions_measured AND a.conversion_rows > 0 THEN coalesce(a.purchases, 0) END AS purchases,
           CASE WHEN m.conversions_measured AND a.conversion_rows > 0 THEN coalesce(a.purchase_value, 0) END AS purchase_value,
           CASE WHEN m.conversions_measured AND a.conversion_rows > 0 THEN coalesce(a.add_to_cart, 0) END AS add_to_cart,
           CASE WHEN m.conversions_measured AND a.conversion_rows > 0 THEN coalesce(a.checkouts_initiated, 0) END AS checkouts_initiated
) c
LEFT JOIN mm.dim_template t ON t.waba_id = a.waba_id AND t.template_id = a.template_id AND t.is_current
WHERE a.has_api;

COMMENT ON VIEW mm.v_template_performance IS 'Per template, product and WABA-local day with API data (mm.fact_template_daily): delivery metrics with rates and costs, conversions (mm.fact_conversions, one metric per column) and the send log''s own counts (mm.fact_sends_daily). Clicks and conversions Meta does not measure read NULL (clicks_measured, conversions_measured), as do the rates over them. Filter on day (and waba_id): the filter reaches every fact.';
COMMENT ON COLUMN mm.v_template_performance.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_template_performance.template_id IS 'Template id.';
COMMENT ON COLUMN mm.v_template_performance.template_name IS 'Current template name (mm.dim_template).';
COMMENT ON COLUMN mm.v_template_performance.template_category IS 'Current template category.';
COMMENT ON COLUMN mm.v_template_performance.product IS 'mm_api or cloud_api (template_analytics product_type).';
COMMENT ON COLUMN mm.v_template_performance.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.v_template_performance.business_country IS 'The business''s country (mm.v_waba.business_country), which decides whether MM API clicks and conversions are measured.';
COMMENT ON COLUMN mm.v_template_performance.clicks_measured IS 'false for MM API rows of a business where Meta measures no clicks (EEA, UK, JP, KR, RU: mm.v_waba.mm_metrics_measured); then every click column and rate is NULL. true otherwise (Cloud API clicks are measured everywhere; an unknown business country counts as measured).';
COMMENT ON COLUMN mm.v_template_performance.conversions_measured IS 'true for MM API rows of a business where Meta measures conversions; false for Cloud API rows (conversions exist only for the MM API) and where not measured: then every conversion column is NULL.';
COMMENT ON COLUMN mm.v_template_performance.sent IS 'Messages sent (API).';
COMMENT ON COLUMN mm.v_template_performance.delivered IS 'Messages delivered (API).';
COMMENT ON COLUMN mm.v_template_performance.read IS 'Messages read (API).';
COMMENT ON COLUMN mm.v_template_performance.url_clicks IS 'URL button clicks (API); NULL when not measured.';
COMMENT ON COLUMN mm.v_template_performance.unique_url_clicks IS 'Distinct WhatsApp users who clicked a URL button (API); NULL when not measured.';
COMMENT ON COLUMN mm.v_template_performance.quick_reply_clicks IS 'Quick-reply button clicks (API); NULL when not measured.';
COMMENT ON COLUMN mm.v_template_performance.delivery_rate IS 'delivered / sent.';
COMMENT ON COLUMN mm.v_template_performance.read_rate IS 'read / delivered.';
COMMENT ON COLUMN mm.v_template_performance.click_rate IS 'url_clicks / delivered; NULL when clicks are not measured.';
COMMENT ON COLUMN mm.v_template_performance.amount_spent IS 'Amount spent (API cost amount_spent), NULL when Meta returns no cost.';
COMMENT ON COLUMN mm.v_template_performance.currency IS 'Currency of every money column.';
COMMENT ON COLUMN mm.v_template_performance.cost_per_delivered IS 'API cost_per_delivered, else amount_spent / delivered.';
COMMENT ON COLUMN mm.v_template_performance.cost_per_url_click IS 'API cost_per_url_button_click, else amount_spent / url_clicks; NULL when clicks are not measured.';
COMMENT ON COLUMN mm.v_template_performance.purchases IS 'Purchase events: website_purchases + app_purchases (one metric, two channels). NULL when conversions are not measured or none were returned for the day.';
COMMENT ON COLUMN mm.v_template_performance.purchase_value IS 'Value of those purchases: website_ + app_purchases_conversion_value, in currency.';
COMMENT ON COLUMN mm.v_template_performance.add_to_cart IS 'Add-to-cart events: website_ + app_add_to_cart.';
COMMENT ON COLUMN mm.v_template_performance.checkouts_initiated IS 'Checkouts initiated: website_ + app_checkouts_initiated.';
COMMENT ON COLUMN mm.v_template_performance.conversion_metrics IS 'Every conversion metric of the day as {metric: value}, new metric names included; NULL when not measured.';
COMMENT ON COLUMN mm.v_template_performance.purchase_rate IS 'purchases / delivered.';
COMMENT ON COLUMN mm.v_template_performance.cost_per_purchase IS 'amount_spent / purchases (same day, so like with like).';
COMMENT ON COLUMN mm.v_template_performance.roas IS 'Return on ad spend: purchase_value / amount_spent.';
COMMENT ON COLUMN mm.v_template_performance.sendlog_sent IS 'Messages the send log has for this template, product and day (mm.fact_sends_daily).';
COMMENT ON COLUMN mm.v_template_performance.sendlog_delivered IS 'Of those, delivered (delivered or read status).';
COMMENT ON COLUMN mm.v_template_performance.sendlog_read IS 'Of those, read.';
COMMENT ON COLUMN mm.v_template_performance.sendlog_failed IS 'Of those, failed.';
COMMENT ON COLUMN mm.v_template_performance.is_final IS 'The API row is past its settle window.';

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_route_mix AS
SELECT waba_id, day,
       coalesce(sum(sent) FILTER (WHERE route = 'mm_api'), 0) AS sendlog_mm_api,
       coalesce(sum(sent) FILTER (WHERE route = 'cloud_api'), 0) AS sendlog_cloud_api,
       coalesce(sum(sent) FILTER (WHERE route = 'unknown'), 0) AS sendlog_unknown,
       coalesce(sum(delivered) FILTER (WHERE route = 'mm_api'), 0) AS sendlog_mm_api_delivered,
       coalesce(sum(delivered) FILTER (WHERE route = 'cloud_api'), 0) AS sendlog_cloud_api_delivered,
       coalesce(sum(sent) FILTER (WHERE route = 'mm_api'), 0)::numeric
           / nullif(sum(sent) FILTER (WHERE route IN ('mm_api', 'cloud_api')), 0) AS sendlog_mm_api_share,
       coalesce(sum(sent) FILTER (WHERE endpoint = 'marketing_messages'), 0) AS sendlog_mm_endpoint,
       coalesce(sum(sent) FILTER (WHERE endpoint = 'marketing_messages' AND route = 'cloud_api'), 0) AS sendlog_fallback,
       coalesce(sum(sent) FILTER (WHERE endpoint = 'marketing_messages' AND route = 'cloud_api'), 0)::numeric
           / nullif(sum(sent) FILTER (WHERE endpoint = 'marketing_messages' AND route <> 'unknown'), 0) AS sendlog_fallback_share,
       coalesce(sum(volume) FILTER (WHERE product = 'mm_api'), 0) AS pricing_mm_api,
       coalesce(sum(volume) FILTER (WHERE product = 'cloud_api'), 0) AS pricing_cloud_api,
       coalesce(sum(volume) FILTER (WHERE product = 'mm_api'), 0)::numeric
           / nullif(sum(volume) FILTER (WHERE product IN ('mm_api', 'cloud_api')), 0) AS pricing_mm_api_share
FROM (
    SELECT s.waba_id, s.day, s.route, s.endpoint, s.sent, s.delivered, NULL::text AS product, NULL::bigint AS volume
    FROM mm.fact_sends_daily s
    WHERE s.waba_id IS NOT NULL
    UNION ALL
    SELECT p.waba_id, p.day, NULL, NULL, NULL, NULL, p.product, p.volume
    FROM mm.fact_pricing p
    JOIN mm.pricing_day_grain grain USING (waba_id, granularity, day, dimensions)  -- one grain per day
    WHERE upper(p.granularity) = 'DAILY'
) u
GROUP BY waba_id, day;

COMMENT ON VIEW mm.v_route_mix IS 'Per WABA and WABA-local day: how marketing messages went out — MM API vs Cloud API — from the send log (routes and /marketing_messages fallback to Cloud API) and from pricing_analytics (MARKETING_LITE vs MARKETING volume, DAILY buckets). A route without rows counts 0; a share is NULL only when both routes are 0.';
COMMENT ON COLUMN mm.v_route_mix.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.v_route_mix.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_api IS 'Send-log messages whose statuses said marketing_lite.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_cloud_api IS 'Send-log messages whose statuses said marketing.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_unknown IS 'Send-log messages with no marketing pricing seen (failed before pricing, utility, no webhooks yet).';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_api_delivered IS 'Delivered send-log messages routed via MM API (comparable with pricing volume, which counts delivered messages).';
COMMENT ON COLUMN mm.v_route_mix.sendlog_cloud_api_delivered IS 'Delivered send-log messages routed via Cloud API.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_api_share IS 'sendlog_mm_api / (sendlog_mm_api + sendlog_cloud_api); 0 when only Cloud API carried messages, NULL when neither did.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_mm_endpoint IS 'Send-log messages sent through /marketing_messages.';
COMMENT ON COLUMN mm.v_route_mix.sendlog_fallback IS 'Of those, carried by Cloud API (product_policy CLOUD_API_FALLBACK fell back).';
COMMENT ON COLUMN mm.v_route_mix.sendlog_fallback_share IS 'sendlog_fallback / /marketing_messages sends with a known route.';
COMMENT ON COLUMN mm.v_route_mix.pricing_mm_api IS 'pricing_analytics volume of MM API categories (MARKETING_LITE…).';
COMMENT ON COLUMN mm.v_route_mix.pricing_cloud_api IS 'pricing_analytics volume of Cloud API marketing (MARKETING).';
COMMENT ON COLUMN mm.v_route_mix.pricing_mm_api_share IS 'pricing_mm_api / (pricing_mm_api + pricing_cloud_api); 0 when only Cloud API was billed, NULL when neither was.';

-- ---------------------------------------------------------------------------------------------
CREATE VIEW mm.v_reconciliation AS
WITH tol AS (
    SELECT coalesce(nullif(current_setting('mmetl.reconcile_tolerance_pct', true), '')::numeric, 2) AS pct,
           coalesce(nullif(current_setting('mmetl.reconcile_tolerance_abs', true), '')::numeric, 5) AS abs
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
FROM (
    SELECT f.waba_id, f.template_id, f.product, f.day,
           f.sendlog_sent, f.sent AS api_sent, f.sendlog_delivered, f.delivered AS api_delivered,
           f.sendlog_read, f.read AS api_read, f.sendlog_failed, f.sent - f.delivered AS api_undelivered,
           f.is_final,
           CASE WHEN NOT f.has_api THEN 'sendlog_only' WHEN f.sendlog_sent IS NULL THEN 'api_only' ELSE 'both' END AS presence
    FROM mm.fact_template_performance_daily f
    WHERE f.product IN ('mm_api', 'cloud_api') AND (f.has_api OR f.sendlog_sent IS NOT NULL)
) j
CROSS JOIN tol;

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
COMMENT ON COLUMN mm.v_reconciliation.is_final IS 'The API row is past its settle window (NULL without an API row).';
COMMENT ON COLUMN mm.v_reconciliation.presence IS 'both, sendlog_only or api_only.';
COMMENT ON COLUMN mm.v_reconciliation.sent_delta IS 'sendlog_sent - api_sent (missing side counts as 0).';
COMMENT ON COLUMN mm.v_reconciliation.delivered_delta IS 'sendlog_delivered - api_delivered.';
COMMENT ON COLUMN mm.v_reconciliation.read_delta IS 'sendlog_read - api_read.';
COMMENT ON COLUMN mm.v_reconciliation.tolerance IS 'Allowed absolute sent delta: max(abs tolerance, pct tolerance × API sent).';
COMMENT ON COLUMN mm.v_reconciliation.is_exception IS 'A sent, delivered or read delta exceeds its tolerance.';
