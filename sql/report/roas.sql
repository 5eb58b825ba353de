-- MM API return on ad spend per currency over the days with conversions measured.
SELECT currency,
       round(sum(amount_spent) FILTER (WHERE purchases IS NOT NULL), 2) AS spend,
       round(sum(purchase_value), 2) AS "purchase value",
       round(coalesce(sum(purchases), 0)) AS purchases,
       round(sum(purchase_value) / nullif(sum(amount_spent) FILTER (WHERE purchases IS NOT NULL), 0), 2) AS roas
FROM mm.v_template_performance
WHERE product = 'mm_api' AND conversions_measured AND currency IS NOT NULL
  AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY currency ORDER BY currency;
