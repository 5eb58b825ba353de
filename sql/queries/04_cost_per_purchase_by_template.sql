-- Cost per purchase by template, last 30 days: spend, purchases and purchase value from
-- mm.v_template_performance (template_analytics cost and conversion metrics), per template,
-- product and currency, with cost per purchase and ROAS (purchase value / amount spent).
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d)
SELECT p.waba_id, p.template_id, max(p.template_name) AS template_name, p.product, p.currency,
       sum(p.delivered) AS delivered, sum(p.amount_spent) AS amount_spent,
       sum(p.purchases) AS purchases, sum(p.purchase_value) AS purchase_value,
       round(sum(p.amount_spent) / nullif(sum(p.purchases), 0), 4) AS cost_per_purchase,
       round(sum(p.purchase_value) / nullif(sum(p.amount_spent), 0), 2) AS roas,
       round(100 * sum(p.purchases) / nullif(sum(p.delivered), 0), 3) AS purchases_per_100_delivered
FROM mm.v_template_performance p, asof
WHERE p.day > asof.d - 30 AND p.day <= asof.d
GROUP BY p.waba_id, p.template_id, p.product, p.currency
HAVING sum(p.amount_spent) IS NOT NULL
ORDER BY cost_per_purchase NULLS LAST, p.waba_id, p.template_id, p.product;
