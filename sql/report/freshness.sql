-- How far each WABA's datasets are loaded, and how far behind today (or SET mmetl.as_of).
-- Freshness is about today, not the range: $1 and $2 only need to be a valid range.
SELECT waba_id, dataset, loaded_through, lag_days, days_loaded,
       round(100 * final_days_share, 1) AS "final days %", last_success_at, last_failure_at
FROM mm.v_freshness
WHERE dataset IN ('pricing', 'templates') AND $1::date <= $2::date AND ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ',')))
ORDER BY waba_id, dataset;
