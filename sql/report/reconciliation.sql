-- Template-days where the send log and the API disagree beyond the tolerance, per day and product.
SELECT day, product, count(*) AS exceptions,
       sum(abs(sent_delta)) AS "|sent delta|", sum(abs(delivered_delta)) AS "|delivered delta|"
FROM mm.v_reconciliation
WHERE is_exception AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY day, product ORDER BY day, product;
