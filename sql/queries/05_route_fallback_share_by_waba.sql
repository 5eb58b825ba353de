-- Route fallback share by WABA, last 30 days: of the messages sent through /marketing_messages
-- (send log), how many Cloud API carried instead of the MM API (product_policy
-- CLOUD_API_FALLBACK), next to the MM API share of marketing volume billed (pricing_analytics).
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d)
SELECT r.waba_id,
       sum(r.sendlog_mm_endpoint) AS sent_via_marketing_messages,
       sum(r.sendlog_fallback) AS fell_back_to_cloud_api,
       round(100.0 * sum(r.sendlog_fallback) / nullif(sum(r.sendlog_mm_api) + sum(r.sendlog_fallback), 0), 2) AS fallback_share_pct,
       sum(r.pricing_mm_api) AS billed_mm_api, sum(r.pricing_cloud_api) AS billed_cloud_api,
       round(100.0 * sum(r.pricing_mm_api) / nullif(sum(r.pricing_mm_api) + sum(r.pricing_cloud_api), 0), 2) AS billed_mm_api_share_pct
FROM mm.v_route_mix r, asof
WHERE r.day > asof.d - 30 AND r.day <= asof.d
GROUP BY r.waba_id
ORDER BY fallback_share_pct DESC NULLS LAST, r.waba_id;
