-- Cost per purchase by template, last 30 days: spend, purchases and purchase value from
-- mm.v_template_performance (template_analytics cost and conversion metrics; conversions exist
-- for the MM API only, where Meta measures them), per template, product and currency, with cost per
-- purchase and ROAS (purchase value / amount spent) compared like with like: only days that have
-- both a cost and conversions count on either side. days_left_out says how many days were not
-- comparable, purchases_left_out how many purchases they held.
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d),
days AS (
    SELECT p.*, (p.amount_spent IS NOT NULL AND p.purchases IS NOT NULL) AS comparable
    FROM mm.v_template_performance p, asof
    WHERE p.day > asof.d - 30 AND p.day <= asof.d AND p.conversions_measured
)
SELECT waba_id, template_id, max(template_name) AS template_name, product, currency,
       count(*) FILTER (WHERE comparable) AS days_compared,
       count(*) FILTER (WHERE NOT comparable) AS days_left_out,
       sum(delivered) FILTER (WHERE comparable) AS delivered,
       sum(amount_spent) FILTER (WHERE comparable) AS amount_spent,
       sum(purchases) FILTER (WHERE comparable) AS purchases,
       sum(purchase_value) FILTER (WHERE comparable) AS purchase_value,
       coalesce(sum(purchases) FILTER (WHERE NOT comparable), 0) AS purchases_left_out,
       round(sum(amount_spent) FILTER (WHERE comparable) / nullif(sum(purchases) FILTER (WHERE comparable), 0), 4) AS cost_per_purchase,
       round(sum(purchase_value) FILTER (WHERE comparable) / nullif(sum(amount_spent) FILTER (WHERE comparable), 0), 2) AS roas,
       round(100 * sum(purchases) FILTER (WHERE comparable) / nullif(sum(delivered) FILTER (WHERE comparable), 0), 3) AS purchases_per_100_delivered
FROM days
GROUP BY waba_id, template_id, product, currency
HAVING sum(amount_spent) IS NOT NULL
ORDER BY cost_per_purchase NULLS LAST, waba_id, template_id, product;
