-- MM API vs Cloud API per product and currency over the range: the figures of the demo's text
-- summary (the same expressions), read from the analyst view.
SELECT product, currency, sum(sent) AS sent, sum(delivered) AS delivered,
       round(100.0 * sum(delivered) / nullif(sum(sent), 0), 1) AS "delivery %",
       round(100.0 * sum(read) / nullif(sum(delivered), 0), 1) AS "read %",
       round(100.0 * sum(url_clicks) / nullif(sum(delivered) FILTER (WHERE url_clicks IS NOT NULL), 0), 2) AS "click %",
       round(sum(amount_spent), 2) AS spend,
       round(sum(amount_spent) / nullif(sum(delivered), 0), 4) AS "cost/delivery",
       round(coalesce(sum(purchases), 0)) AS purchases,
       round(sum(purchase_value) / nullif(sum(amount_spent) FILTER (WHERE purchases IS NOT NULL), 0), 2) AS roas
FROM mm.v_template_performance
WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY product, currency ORDER BY currency, product;
