-- mm.fact_template_performance_daily for the WABA-local days [mmetl.from, mmetl.to]: the API facts,
-- their conversion metrics and the send log (mm.fact_sends_daily, rebuilt just before by
-- 10_fact_sends_daily.sql) combined per WABA, template, product and day by
-- etl.template_performance_rows. Idempotent: deletes the range, then inserts it again.

SELECT etl.ensure_performance_partitions(current_setting('mmetl.from')::date, current_setting('mmetl.to')::date);

DELETE FROM mm.fact_template_performance_daily
WHERE day BETWEEN current_setting('mmetl.from')::date AND current_setting('mmetl.to')::date;

INSERT INTO mm.fact_template_performance_daily
SELECT * FROM etl.template_performance_rows(current_setting('mmetl.from')::date, current_setting('mmetl.to')::date);
