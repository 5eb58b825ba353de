-- title: MM API vs Cloud API, last 30 days (per currency)
SELECT product, currency, sum(sent) AS sent, sum(delivered) AS delivered,
       round(100.0 * sum(delivered) / nullif(sum(sent), 0), 1) AS "delivery %",
       round(100.0 * sum(read) / nullif(sum(delivered), 0), 1) AS "read %",
       round(100.0 * sum(url_clicks) / nullif(sum(delivered) FILTER (WHERE url_clicks IS NOT NULL), 0), 2) AS "click %",
       round(sum(amount_spent), 2) AS spend,
       round(sum(amount_spent) / nullif(sum(delivered), 0), 4) AS "cost/delivery",
       round(coalesce(sum(purchases), 0)) AS purchases,
       round(sum(purchase_value) / nullif(sum(amount_spent) FILTER (WHERE purchases IS NOT NULL), 0), 2) AS roas
FROM mm.v_template_performance
WHERE day > (SELECT max(day) FROM mm.fact_template_daily) - 30
GROUP BY product, currency ORDER BY currency, product;
