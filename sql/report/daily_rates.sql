-- Read and click rates per day and product, as ratios of sums (percent).
SELECT day, product,
       round(100.0 * sum(read) / nullif(sum(delivered), 0), 2) AS "read %",
       round(100.0 * sum(url_clicks) / nullif(sum(delivered) FILTER (WHERE url_clicks IS NOT NULL), 0), 2) AS "click %"
FROM mm.v_template_performance
WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY day, product ORDER BY day, product;
