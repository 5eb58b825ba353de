-- MM API templates with a max price: the max price in force on the last day of the range beside the
-- actual cost per delivered message (Σ spend ÷ Σ delivered of days with a cost), per currency.
SELECT coalesce(template_name, template_id) || ' (' || waba_id || ')' AS template, currency,
       (array_agg(max_price_per_delivery ORDER BY day DESC))[1] AS "max price",
       round(sum(amount_spent) / nullif(sum(delivered) FILTER (WHERE amount_spent IS NOT NULL), 0), 4) AS "cost per delivery",
       sum(delivered) AS delivered
FROM mm.v_template_max_price_vs_cost
WHERE max_price_per_delivery IS NOT NULL AND bid_currency = currency
  AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY 1, currency
ORDER BY currency, sum(amount_spent) / nullif(sum(delivered), 0) / nullif((array_agg(max_price_per_delivery ORDER BY day DESC))[1], 0) DESC NULLS LAST, 1
LIMIT 20;
