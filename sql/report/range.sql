-- The report's default range: the 30 days ending on the last day with template analytics
-- ($1 / $2 override either end; $3 limits the WABAs). Same window as the demo's text summary.
WITH last AS (SELECT max(day) AS d FROM mm.fact_template_daily WHERE ($3::text IS NULL OR waba_id = ANY (string_to_array($3::text, ','))))
SELECT coalesce($1::date, coalesce($2::date, d, current_date) - 29) AS from_day,
       coalesce($2::date, d, current_date) AS to_day
FROM last;
