-- Failures per day of the five error codes with the most failures in the range (send log).
WITH e AS (
    SELECT day, error_code, sum(failures) AS failures FROM mm.fact_errors
    WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
    GROUP BY day, error_code
), top AS (
    SELECT error_code FROM e GROUP BY error_code ORDER BY sum(failures) DESC, error_code LIMIT 5
)
SELECT e.day, e.error_code::text || ' ' || left(coalesce(d.title, '(unknown code)'), 40) AS error, e.failures
FROM e JOIN top USING (error_code) LEFT JOIN mm.dim_error_code d ON d.code = e.error_code
ORDER BY e.day, e.error_code;
