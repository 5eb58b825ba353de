-- Sent, delivered and read per day and product (template_analytics).
SELECT day, product, sum(sent) AS sent, sum(delivered) AS delivered, sum(read) AS read
FROM mm.v_template_performance
WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY day, product ORDER BY day, product;
