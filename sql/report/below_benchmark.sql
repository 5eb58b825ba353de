-- The ten templates furthest below the 75th percentile read rate of their peer businesses (latest
-- benchmark day of each template, within the range).
SELECT coalesce(template_name, template_id) || ' (' || waba_id || ')' AS template, day, peer_cohort AS cohort,
       peer_businesses AS businesses,
       round(100 * read_rate, 1) AS "read %", round(100 * peer_p75_read_rate::numeric, 1) AS "peer p75 read %",
       round(100 * read_rate_vs_peer_p75::numeric, 1) AS "gap (points)"
FROM mm.v_template_peer_benchmark_latest
WHERE read_rate_vs_peer_p75 < 0 AND day <= $2::date AND $1::date <= $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
ORDER BY read_rate_vs_peer_p75, template LIMIT 10;
