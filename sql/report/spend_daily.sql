-- Spend and cost per delivered message per day, currency and product (DAILY pricing buckets).
-- Grouped by currency: amounts in different currencies are never added.
SELECT day, currency, product, round(sum(cost), 2) AS spend, sum(volume) AS delivered,
       round(sum(cost) / nullif(sum(priced_volume), 0), 4) AS "cost per delivery"
FROM mm.v_spend_daily
WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY day, currency, product ORDER BY currency, day, product;
