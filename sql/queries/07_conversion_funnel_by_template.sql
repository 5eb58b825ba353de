-- Conversion funnel by template and product, last 30 days: sent → delivered → read → URL click →
-- add to cart → checkout → purchase (template_analytics and its conversion metrics), with each
-- step as a share of the step before it. Conversions exist only for the MM API, and Meta measures
-- neither them nor MM API clicks for businesses in the EEA, the UK, Japan, South Korea and Russia:
-- conversions_measured / clicks_measured say so, and the steps that are not measured are NULL
-- (never 0).
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d),
f AS (
    SELECT p.waba_id, p.template_id, p.product, max(p.template_name) AS template_name,
           bool_and(p.clicks_measured) AS clicks_measured, bool_and(p.conversions_measured) AS conversions_measured,
           sum(p.sent) AS sent, sum(p.delivered) AS delivered, sum(p.read) AS read, sum(p.url_clicks) AS clicks,
           sum(p.add_to_cart) AS add_to_cart, sum(p.checkouts_initiated) AS checkouts, sum(p.purchases) AS purchases
    FROM mm.v_template_performance p, asof
    WHERE p.day > asof.d - 30 AND p.day <= asof.d
    GROUP BY p.waba_id, p.template_id, p.product
)
SELECT waba_id, template_id, product, template_name, clicks_measured, conversions_measured,
       sent, delivered, read, clicks, add_to_cart, checkouts, purchases,
       round(100.0 * delivered / nullif(sent, 0), 1) AS delivered_pct,
       round(100.0 * read / nullif(delivered, 0), 1) AS read_pct,
       round(100.0 * clicks / nullif(read, 0), 1) AS click_of_read_pct,
       round(100.0 * add_to_cart / nullif(clicks, 0), 1) AS cart_of_click_pct,
       round(100.0 * checkouts / nullif(add_to_cart, 0), 1) AS checkout_of_cart_pct,
       round(100.0 * purchases / nullif(checkouts, 0), 1) AS purchase_of_checkout_pct,
       round(100.0 * purchases / nullif(delivered, 0), 2) AS purchase_of_delivered_pct
FROM f
ORDER BY purchases DESC NULLS LAST, sent DESC, waba_id, template_id, product;
