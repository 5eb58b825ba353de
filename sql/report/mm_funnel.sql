-- The MM API funnel over the range, for businesses where Meta measures clicks and conversions.
WITH s AS (
    SELECT sum(sent) AS sent, sum(delivered) AS delivered, sum(read) AS read, sum(url_clicks) AS clicks,
           sum(add_to_cart) AS add_to_cart, sum(checkouts_initiated) AS checkouts, sum(purchases) AS purchases
    FROM mm.v_template_performance
    WHERE product = 'mm_api' AND conversions_measured
      AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
)
SELECT v.stage, round(v.n) AS messages,
       round(100.0 * v.n / nullif(s.sent, 0), 2) AS "% of sent"
FROM s CROSS JOIN LATERAL (VALUES (1, 'sent', s.sent), (2, 'delivered', s.delivered), (3, 'read', s.read),
                                   (4, 'URL clicks', s.clicks), (5, 'add to cart', s.add_to_cart),
                                   (6, 'checkouts initiated', s.checkouts), (7, 'purchases', s.purchases)) AS v(step, stage, n)
WHERE s.sent IS NOT NULL
ORDER BY v.step;
