-- Send-log messages per day by route, and the share of MM-endpoint sends carried by Cloud API.
SELECT day, sum(sendlog_mm_api) AS mm_api, sum(sendlog_cloud_api) AS cloud_api, sum(sendlog_unknown) AS unknown,
       round(100.0 * sum(sendlog_mm_api) / nullif(sum(sendlog_mm_api) + sum(sendlog_cloud_api), 0), 1) AS "mm api %",
       sum(sendlog_mm_endpoint) AS mm_endpoint, sum(sendlog_fallback) AS fallback,
       round(100.0 * sum(sendlog_fallback) / nullif(sum(sendlog_mm_endpoint), 0), 2) AS "fallback %"
FROM mm.v_route_mix
WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
GROUP BY day HAVING sum(sendlog_mm_api) + sum(sendlog_cloud_api) + sum(sendlog_unknown) > 0
ORDER BY day;
