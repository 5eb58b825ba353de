-- title: Route mix, last 7 days (send log)
SELECT route, sum(sent) AS sent, round(100.0 * sum(sent) / nullif(sum(sum(sent)) OVER (), 0), 1) AS "share %",
       sum(failed) AS failed
FROM mm.fact_sends_daily WHERE day > (SELECT max(day) FROM mm.fact_sends_daily) - 7
GROUP BY route ORDER BY route;
