-- title: Top error codes, last 7 days (send log)
SELECT e.error_code, left(coalesce(d.title, '(unknown code)'), 50) AS title, e.route, sum(e.failures) AS failures
FROM mm.fact_errors e LEFT JOIN mm.dim_error_code d ON d.code = e.error_code
WHERE e.day > (SELECT max(day) FROM mm.fact_errors) - 7
GROUP BY 1, 2, 3 ORDER BY failures DESC LIMIT 5;
